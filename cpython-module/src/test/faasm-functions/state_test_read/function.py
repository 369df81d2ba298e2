from pyfaasm.core import read_state_size, read_state, read_state_offset

KEY = "pyStateTest"


def faasm_main():
    expected = b"0199956789"
    actual = read_state(KEY, len(expected))
    if actual != expected:
        print("Mismatch: expected {}, got {}".format(expected, actual))
        exit(1)
    segment = read_state_offset(KEY, len(expected), 0, 3)
    if segment != b"019":
        print("Segment (0, 3) mismatch: {}".format(segment))
        exit(1)
    # as Faasm's own state_test_read calls it: the total length (4) sizes only a value that does not
    # exist yet, and this one has 10 bytes
    segment = read_state_offset(KEY, 4, 4, 4)
    if segment != b"9567":
        print("Segment (4, 4) mismatch: {}".format(segment))
        exit(1)
    if read_state_size(KEY) != 10:
        print("Size mismatch: {}".format(read_state_size(KEY)))
        exit(1)
    if read_state_size("pyStateMissing") != 0:
        print("A missing key has a size")
        exit(1)
    print("State read OK")
