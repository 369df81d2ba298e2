"""C recursion 100 million deep in a C extension: it runs the guest's stack out, a wasm trap."""
from faasm_cext_demo import recurse
from pyfaasm.core import await_call, chain, write_output


def deep(_input=b""):
    return recurse(100_000_000)


def faasm_main():
    write_output(b"before the recursion")
    deep()
    return 0


def chained(_input):
    call_id = chain(deep, b"")
    code = await_call(call_id)
    write_output(("callee returned %d; caller went on" % code).encode("utf-8"))
    return 0
