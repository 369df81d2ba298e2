"""repr of a 2-million-deep nested list with the recursion limit raised: deep C recursion."""
import sys

from pyfaasm.core import await_call, chain, write_output


def deep(_input=b""):
    sys.setrecursionlimit(10_000_000)
    nested = []
    for _ in range(2_000_000):
        nested = [nested]
    return len(repr(nested))


def faasm_main():
    write_output(b"before the recursion")
    deep()
    return 0


def chained(_input):
    call_id = chain(deep, b"")
    code = await_call(call_id)
    write_output(("callee returned %d; caller went on" % code).encode("utf-8"))
    return 0
