from pyfaasm.core import read_state_offset, write_state_offset, write_output


def faasm_main():
    errors = []
    for action in (lambda: read_state_offset("k", 10, -1, 3), lambda: write_state_offset("k", 10, -4, b"x"),
                   lambda: read_state_offset("k", 2 ** 40, 0, 1), lambda: write_state_offset("k", 4, 3, b"xyz")):
        try:
            action()
            errors.append("accepted")
        except (ValueError, OverflowError) as e:
            errors.append(type(e).__name__)
    write_output(";".join(errors).encode("utf-8"))


def huge(_input):
    # passes Python's checks; the host refuses a value larger than the guest's memory
    write_state_offset("k", 2 ** 31 - 1, 0, b"x")
    write_output(b"host accepted it")
    return 0
