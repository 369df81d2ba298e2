"""pyperformance's pickle benchmark (pyperformance 1.11.0, bm_pickle/run_benchmark.py) as a Faasm function: pickling its objects with the C pickle at the highest protocol,
timed inside the call. The benchmark module comes from the installed pyperformance package and is
not run as __main__ (no pyperf Runner: WASI cannot spawn its worker processes)."""
import importlib.util
import os
import time

import pyperformance
from pyfaasm.core import write_output

LOOPS = 200


def benchmark(name):
    path = os.path.join(os.path.dirname(pyperformance.__file__), "data-files", "benchmarks", "bm_" + name, "run_benchmark.py")
    spec = importlib.util.spec_from_file_location("bm_" + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def faasm_main():
    m = benchmark("pickle")
    import argparse
    import pickle
    options = argparse.Namespace(protocol=pickle.HIGHEST_PROTOCOL, pure_python=False)
    t0 = time.perf_counter()
    m.bench_pickle(LOOPS, pickle, options)
    ms = (time.perf_counter() - t0) * 1000
    write_output("pickle: work {:.1f} ms ({} loops)".format(ms, LOOPS).encode("utf-8"))
    return 0
