from pyfaasm.core import await_call, chain


def chain_one(input_bytes):
    expected = b"1234"
    if input_bytes != expected:
        print("Expected {} but got {}".format(expected, input_bytes))
        exit(1)
    print("Chained 1 got input {}".format(input_bytes))


def chain_two(input_bytes):
    expected = b"5678"
    if input_bytes != expected:
        print("Expected {} but got {}".format(expected, input_bytes))
        exit(1)
    print("Chained 2 got input {}".format(input_bytes))


def faasm_main():
    call_a = chain(chain_one, b"1234")
    call_b = chain(chain_two, b"5678")
    res_a = await_call(call_a)
    res_b = await_call(call_b)
    if res_a != 0 or res_b != 0:
        print("Chained calls failed: {} and {}".format(res_a, res_b))
        exit(1)
    print("Chaining complete")
