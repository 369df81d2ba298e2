import os
import sys

from pyfaasm.core import write_output


def faasm_main():
    with open("/lib/python{}.{}/os.py".format(*sys.version_info[:2]), "rb") as f:
        head = f.read(20)
    for fd in (3, 4, 5):
        os.close(fd)
    write_output(b"read %d bytes, closed the preopens" % len(head))
