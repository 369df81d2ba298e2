from pyfaasm.core import get_input_len, read_input, write_output


def faasm_main():
    data = read_input(get_input_len())
    write_output(data)
