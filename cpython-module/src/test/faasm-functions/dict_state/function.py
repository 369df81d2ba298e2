import pickle

from pyfaasm.core import await_call, chain, read_state_size, push_state, read_state, write_state

KEY = "dict_state_example"


def check_pickled_dict(input_bytes):
    size = read_state_size(KEY)
    value = pickle.loads(read_state(KEY, size))
    if value != {"alpha": 1, "beta": [2, 3], "gamma": {"delta": "four"}}:
        print("Unexpected dict: {}".format(value))
        return 1
    print("Dict from state OK")
    return 0


def faasm_main():
    data = pickle.dumps({"alpha": 1, "beta": [2, 3], "gamma": {"delta": "four"}})
    write_state(KEY, data)
    push_state(KEY)
    call_id = chain(check_pickled_dict, b"")
    return await_call(call_id)
