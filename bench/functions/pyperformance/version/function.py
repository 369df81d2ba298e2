"""Faasm's "version" function of its Python benchmarks (not a pyperformance benchmark: pyperformance
1.11.0 has none of that name): the interpreter's version string, the smallest call there is."""
import sys
import time

from pyfaasm.core import write_output

LOOPS = 1000


def faasm_main():
    t0 = time.perf_counter()
    for _ in range(LOOPS):
        v = "Python " + sys.version
    ms = (time.perf_counter() - t0) * 1000
    print(v)
    write_output("version: work {:.3f} ms ({} loops)".format(ms, LOOPS).encode("utf-8"))
    return 0
