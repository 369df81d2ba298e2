from pyfaasm.core import write_output


def faasm_main():
    write_output(b"partial output")
    print("spinning now", flush=True)
    while True:
        pass
