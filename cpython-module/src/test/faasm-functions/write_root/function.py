"""Tries to change files outside /tmp: every attempt must fail with EROFS or EACCES; /tmp works."""
import errno
import os
import sys

from pyfaasm.core import write_output

STDLIB = "/lib/python{}.{}".format(*sys.version_info[:2])


def attempt(name, action):
    try:
        action()
        return name + ": WROTE"
    except OSError as e:
        return name + ": " + errno.errorcode.get(e.errno, str(e.errno))


def write(path, mode="w"):
    with open(path, mode) as f:
        f.write("x")


def faasm_main():
    results = [
        attempt("new file in /", lambda: write("/created.txt")),
        attempt("cwd file", lambda: write("relative.txt")),
        attempt("stdlib append", lambda: write(STDLIB + "/os.py", "a")),
        attempt("stdlib truncate", lambda: write(STDLIB + "/json/__init__.py")),
        attempt("pth in site-packages", lambda: write(STDLIB + "/site-packages/evil.pth")),
        attempt("mkdir", lambda: os.mkdir("/newdir")),
        attempt("remove", lambda: os.remove(STDLIB + "/os.py")),
        attempt("rename", lambda: os.rename(STDLIB + "/os.py", STDLIB + "/os2.py")),
        attempt("function dir", lambda: write("/pyfuncs/python/write_root/function.py")),
        attempt("utime", lambda: os.utime(STDLIB + "/os.py", (0, 0))),
        attempt("link into tmp", lambda: os.link(STDLIB + "/os.py", "/tmp/os-link.py")),
    ]
    write("/tmp/scratch.txt")
    with open("/tmp/scratch.txt") as f:
        results.append("tmp: " + f.read())
    write_output("\n".join(results).encode("utf-8"))
