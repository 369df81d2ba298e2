"""A tree deeper than the host's path limit, made through a link in /tmp (as an attacker would):
every name the host would have to make past its limit is refused in the guest with ENAMETOOLONG."""
import errno
import os

from pyfaasm.core import write_output

NAME = "n" * 200


def refused(action):
    try:
        action()
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    return "made"


def faasm_main():
    deep = "/tmp/a"
    os.mkdir(deep)
    for _ in range(18):
        deep = deep + "/" + NAME
        os.mkdir(deep)
    # a relative target, as WASI's symlink takes it: /tmp/L -> a/<18 levels of 200-character names>
    os.symlink(deep[len("/tmp/"):], "/tmp/L")
    os.makedirs("/tmp/x/" + "/".join([NAME] * 4))
    # through the link, names are short for the guest and long on the host
    levels = 0
    path = "/tmp/L/b"
    error = "none"
    while levels < 40:
        try:
            os.mkdir(path)
        except OSError as e:
            error = errno.errorcode.get(e.errno, str(e.errno))
            break
        levels += 1
        path = path + "/" + NAME
    last = path.rsplit("/", 1)[0]
    results = [
        "mkdir after %d levels: %s" % (levels, error),
        "open: " + refused(lambda: open(last + "/" + NAME, "w").close()),
        "symlink: " + refused(lambda: os.symlink("a", last + "/" + NAME)),
        # a directory moved under the deep one: its own name fits, what it holds would not
        "rename: " + refused(lambda: os.rename("/tmp/x", deep + "/x")),
    ]
    write_output("; ".join(results).encode())
    return 0
