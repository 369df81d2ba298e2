"""Chains that hit the host's limits: depth (a call chaining itself) and fan-out."""
from pyfaasm.core import await_call, chain, write_output


def nest(data):
    depth = int(data)
    if depth == 0:
        return 0
    code = await_call(chain(nest, str(depth - 1).encode()))
    return 10 + code if code else 0


def leaf(data):
    return 0


def faasm_main():
    deep = nest(b"5")
    codes = [await_call(chain(leaf, b"")) for _ in range(5)]
    write_output(("nest=%d fan-out=%s" % (deep, codes)).encode("utf-8"))


def big_output(data):
    write_output(b"x" * 41)
