"""pyperformance's dulwich_log benchmark (pyperformance 1.11.0, bm_dulwich_log/run_benchmark.py) as a Faasm function: walking every commit of its asyncio.git with dulwich (pyperformance names it dulwich_log),
timed inside the call. The benchmark module comes from the installed pyperformance package and is
not run as __main__ (no pyperf Runner: WASI cannot spawn its worker processes)."""
import importlib.util
import os
import time

import pyperformance
from pyfaasm.core import write_output

LOOPS = 2


def benchmark(name):
    path = os.path.join(os.path.dirname(pyperformance.__file__), "data-files", "benchmarks", "bm_" + name, "run_benchmark.py")
    spec = importlib.util.spec_from_file_location("bm_" + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def faasm_main():
    m = benchmark("dulwich_log")
    import dulwich.repo
    repo = dulwich.repo.Repo(os.path.join(os.path.dirname(m.__file__), "data", "asyncio.git"))
    m.head = repo.head()
    t0 = time.perf_counter()
    for _ in range(LOOPS):
        m.iter_all_commits(repo)
    ms = (time.perf_counter() - t0) * 1000
    write_output("dulwich: work {:.1f} ms ({} loops)".format(ms, LOOPS).encode("utf-8"))
    return 0
