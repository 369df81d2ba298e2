import hashlib

from pyfaasm.core import write_output


def faasm_main():
    digest = hashlib.md5(b"Hello faasm").hexdigest()
    write_output(digest.encode("ascii"))
