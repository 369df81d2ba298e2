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
    # await_call drops a chained call's output (the host does not keep what was awaited): read it first
    out_second = await_call_output(second)
    write_output(b"%s;%d;%d;%s" % (out, await_call(first), await_call(second), out_second))


def dropped(_input):
    call_id = chain(reverse, b"abc")
    code = await_call(call_id)
    try:
        await_call_output(call_id)
    except ValueError as e:
        write_output(b"%d;%s" % (code, str(e).encode()))
        return 0
    return 1
