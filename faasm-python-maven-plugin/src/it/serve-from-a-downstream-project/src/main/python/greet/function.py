from pyfaasm.core import get_input_len, read_input, write_output


def faasm_main():
    write_output(b"Hello, " + read_input(get_input_len()))
