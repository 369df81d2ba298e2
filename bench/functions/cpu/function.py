"""A CPU-bound function for benchmarks: pure-Python arithmetic, recursion and string work."""
from pyfaasm.core import write_output


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def faasm_main():
    total = 0
    for i in range(200_000):
        total = (total + i * i) % 1_000_003
    words = " ".join(str(i) for i in range(20_000)).split()
    write_output("{} {} {}".format(fib(20), total, len(words)).encode("ascii"))
