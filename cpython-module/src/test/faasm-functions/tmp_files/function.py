"""Rename and replace in /tmp, as ordinary Python code does them."""
import os
import tempfile

from pyfaasm.core import write_output


def faasm_main():
    with open("/tmp/a.txt", "w") as f:
        f.write("one")
    os.rename("/tmp/a.txt", "/tmp/b.txt")
    with open("/tmp/c.txt", "w") as f:
        f.write("two")
    os.replace("/tmp/c.txt", "/tmp/b.txt")
    os.mkdir("/tmp/d")
    with open("/tmp/d/inside", "w") as f:
        f.write("three")
    os.rename("/tmp/d", "/tmp/e")
    with tempfile.NamedTemporaryFile("w", dir="/tmp", delete=False) as t:
        t.write("four")
    os.replace(t.name, "/tmp/f.txt")
    with open("/tmp/b.txt") as b, open("/tmp/e/inside") as e, open("/tmp/f.txt") as f:
        seen = [b.read(), e.read(), f.read()]
    write_output(("%s %s" % (" ".join(seen), sorted(os.listdir("/tmp")))).encode())
    return 0
