"""pyperformance's json_loads benchmark (pyperformance 1.11.0, bm_json_loads/run_benchmark.py) as a Faasm function: json.loads of its three documents,
timed inside the call. The benchmark module comes from the installed pyperformance package and is
not run as __main__ (no pyperf Runner: WASI cannot spawn its worker processes)."""
import importlib.util
import os
import time

import pyperformance
from pyfaasm.core import write_output

LOOPS = 100


def benchmark(name):
    path = os.path.join(os.path.dirname(pyperformance.__file__), "data-files", "benchmarks", "bm_" + name, "run_benchmark.py")
    spec = importlib.util.spec_from_file_location("bm_" + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def faasm_main():
    m = benchmark("json_loads")
    objs = (m.json.dumps(m.DICT), m.json.dumps(m.TUPLE), m.json.dumps(m.DICT_GROUP))
    t0 = time.perf_counter()
    for _ in range(LOOPS):
        m.bench_json_loads(objs)
    ms = (time.perf_counter() - t0) * 1000
    write_output("json_loads: work {:.1f} ms ({} loops)".format(ms, LOOPS).encode("utf-8"))
    return 0
