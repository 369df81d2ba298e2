"""pyperformance's chaos benchmark (pyperformance 1.11.0, bm_chaos/run_benchmark.py) as a Faasm function: Chaosgame.create_image_chaos at its default size,
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
    m = benchmark("chaos")
    import argparse

    # main() sets the fractal up and hands its work to a runner: take the work from it, run it here
    class Capture:
        metadata = {}

        def bench_func(self, name, func, *args):
            self.call = (func, args)

    runner = Capture()
    m.main(runner, argparse.Namespace(thickness=m.DEFAULT_THICKNESS, width=m.DEFAULT_WIDTH, height=m.DEFAULT_HEIGHT,
                                      iterations=m.DEFAULT_ITERATIONS, filename=None, rng_seed=m.DEFAULT_RNG_SEED))
    func, args = runner.call
    t0 = time.perf_counter()
    for _ in range(LOOPS):
        func(*args)
    ms = (time.perf_counter() - t0) * 1000
    write_output("chaos: work {:.1f} ms ({} loops)".format(ms, LOOPS).encode("utf-8"))
    return 0
