from pyfaasm.core import write_output


def faasm_main():
    try:
        block = bytearray(1536 * 1024 * 1024)
        write_output(b"allocated %d bytes" % len(block))
    except MemoryError:
        write_output(b"MemoryError")
