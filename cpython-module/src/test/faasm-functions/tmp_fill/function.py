"""Writes 3 GiB to /tmp from a 64 MiB buffer (os.write: CPython 3.13 leaves
os.writev out on WASI), then truncates a sparse file to 1 TiB: both
stop at faasm.tmpSize with ENOSPC; deleting a file frees its bytes again."""
import errno
import os

from pyfaasm.core import write_output

CHUNK = 64 << 20


def faasm_main():
    buf = bytes(CHUNK)
    fd = os.open("/tmp/big", os.O_WRONLY | os.O_CREAT)
    written = 0
    error = "none"
    try:
        while written < 3 << 30:
            written += os.write(fd, buf)
    except OSError as e:
        error = errno.errorcode.get(e.errno, str(e.errno))
    os.close(fd)
    sparse = os.open("/tmp/sparse", os.O_WRONLY | os.O_CREAT)
    try:
        os.ftruncate(sparse, 1 << 40)
        truncated = "made"
    except OSError as e:
        truncated = errno.errorcode.get(e.errno, str(e.errno))
    os.close(sparse)
    os.remove("/tmp/big")
    with open("/tmp/again", "wb") as f:
        f.write(buf)
    write_output(b"%d MiB then %s; 1 TiB: %s; after a delete: %d MiB" % (
        written >> 20, error.encode(), truncated.encode(), os.path.getsize("/tmp/again") >> 20))
    return 0


def leftover(_input):
    """Each call has its own /tmp: nothing of an earlier call is there."""
    names = os.listdir("/tmp")
    with open("/tmp/mine", "w") as f:
        f.write("x")
    write_output(repr(names).encode())
    return 0
