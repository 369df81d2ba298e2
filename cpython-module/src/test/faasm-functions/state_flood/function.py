"""16 x 400 MB of state: the host holds at most faasm.stateSize; the write past it fails the call."""
from pyfaasm.core import push_state, read_state, write_output, write_state


def faasm_main():
    data = bytes(400 << 20)
    for i in range(16):
        write_state("flood%d" % i, data)
        print("wrote flood%d" % i, flush=True)
    return 0


def small(data):
    write_state("small", b"12345")
    push_state("small")
    write_output(read_state("small", 5))
    return 0
