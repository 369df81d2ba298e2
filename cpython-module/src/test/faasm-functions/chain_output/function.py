from pyfaasm.core import await_call, await_call_output, chain, write_output


def reverse(data):
    write_output(data[::-1])
    return 0


def fails(data):
    write_output(b"half done")
    raise RuntimeError("callee failed")


def faasm_main():
    first = chain(reverse, b"abc")
    second = chain(fails, b"")
    out = await_call_output(first)
    write_output(b"%s;%d;%d;%s" % (out, await_call(first), await_call(second), await_call_output(second)))
