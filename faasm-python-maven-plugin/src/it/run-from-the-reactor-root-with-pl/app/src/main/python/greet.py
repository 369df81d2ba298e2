from pyfaasm.core import write_output


def faasm_main():
    write_output(b"greetings from the app module")
