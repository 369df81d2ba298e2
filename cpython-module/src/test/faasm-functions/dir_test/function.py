import os
import sys

from pyfaasm.core import write_output


def faasm_main():
    stdlib = os.path.dirname(os.__file__)
    write_output("\n".join([stdlib] + sorted(os.listdir(stdlib))).encode("utf-8"))
