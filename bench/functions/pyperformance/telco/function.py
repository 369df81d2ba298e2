"""pyperformance's telco benchmark (pyperformance 1.11.0, bm_telco/run_benchmark.py) as a Faasm function: its decimal telco bill computation,
timed inside the call. The benchmark module comes from the installed pyperformance package and is
not run as __main__ (no pyperf Runner: WASI cannot spawn its worker processes)."""
import importlib.util
import os
import time

import pyperformance
from pyfaasm.core import write_output

LOOPS = 5


def benchmark(name):
    path = os.path.join(os.path.dirname(pyperformance.__file__), "data-files", "benchmarks", "bm_" + name, "run_benchmark.py")
    spec = importlib.util.spec_from_file_location("bm_" + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def faasm_main():
    m = benchmark("telco")
    filename = m.rel_path("data", "telco-bench.b")
    t0 = time.perf_counter()
    m.bench_telco(LOOPS, filename)
    ms = (time.perf_counter() - t0) * 1000
    write_output("telco: work {:.1f} ms ({} loops)".format(ms, LOOPS).encode("utf-8"))
    return 0
