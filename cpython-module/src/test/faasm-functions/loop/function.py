from pyfaasm.core import write_output


def faasm_main():
    write_output(b"partial output")
    print("started the endless loop", flush=True)
    while True:
        pass
