"""A CPU-bound function for benchmarks: pure-Python arithmetic, recursion and string work.

Its output ends with the time the work took inside the call ("work <ms> ms"), so engines are
compared on the same Python work, apart from what a call costs the host (restoring the snapshot,
importing the function)."""
import time

from pyfaasm.core import write_output


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def faasm_main():
    t0 = time.perf_counter()
    total = 0
    for i in range(200_000):
        total = (total + i * i) % 1_000_003
    words = " ".join(str(i) for i in range(20_000)).split()
    result = "{} {} {}".format(fib(20), total, len(words))
    write_output("{} work {:.1f} ms".format(result, (time.perf_counter() - t0) * 1000).encode("ascii"))
