"""pyperformance's spectral_norm benchmark (pyperformance 1.11.0, bm_spectral_norm/run_benchmark.py) as a Faasm function: bench_spectral_norm,
timed inside the call. The benchmark module comes from the installed pyperformance package and is
not run as __main__ (no pyperf Runner: WASI cannot spawn its worker processes)."""
import importlib.util
import os
import time

import pyperformance
from pyfaasm.core import write_output

LOOPS = 1


def benchmark(name):
    path = os.path.join(os.path.dirname(pyperformance.__file__), "data-files", "benchmarks", "bm_" + name, "run_benchmark.py")
    spec = importlib.util.spec_from_file_location("bm_" + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def faasm_main():
    m = benchmark("spectral_norm")
    t0 = time.perf_counter()
    m.bench_spectral_norm(LOOPS)
    ms = (time.perf_counter() - t0) * 1000
    write_output("spectral_norm: work {:.1f} ms ({} loops)".format(ms, LOOPS).encode("utf-8"))
    return 0
