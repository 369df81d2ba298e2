"""15 nested chained calls that each hold 200 MiB: together they may hold at most faasm.totalMemory."""
from pyfaasm.core import await_call, chain, write_output


def nest(data):
    depth = int(data)
    block = bytearray(200 << 20)
    block[-1] = 1
    if depth == 0:
        return 0
    return await_call(chain(nest, str(depth - 1).encode()))


def faasm_main():
    write_output(b"%d" % nest(b"15"))
    return 0
