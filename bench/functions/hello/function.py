import sys

from pyfaasm.core import write_output


def faasm_main():
    write_output("Hello from Python {}".format(sys.version.split()[0]).encode("utf-8"))
