import sys


def faasm_main():
    preloaded = "pyfaasm" in sys.modules
    from pyfaasm.core import write_output

    write_output(("pyfaasm preloaded: " + str(preloaded)).encode("utf-8"))
