from pyfaasm.core import await_call, chain_this_with_input


def faasm_main():
    call_id = chain_this_with_input("no_such_function", b"x")
    code = await_call(call_id)
    print("chained call returned {}".format(code))
    return 0 if code == 1 else 2
