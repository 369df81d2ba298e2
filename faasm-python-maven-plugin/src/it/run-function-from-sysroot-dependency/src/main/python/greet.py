import json
import sys

from pyfaasm.core import write_output


def greet(name):
    message = {"greeting": "Hello, " + name.decode("utf-8"), "python": sys.version.split()[0]}
    print("computed", json.dumps(message, sort_keys=True))
    write_output(json.dumps(message, sort_keys=True).encode("utf-8"))
    return 0
