from pyfaasm.core import push_state, push_state_partial, write_state, write_state_offset

KEY = "pyStateTest"


def faasm_main():
    value = b"0123456789"
    write_state(KEY, value)
    push_state(KEY)
    write_state_offset(KEY, len(value), 2, b"999")
    push_state_partial(KEY)
