import json
import sys

import numpy as np

from pyfaasm.core import write_output


def greet(name):
    # NumPy comes with the sysroot archive: its Python files in the runtime root, its C extensions in py_func.wasm
    det = float(np.linalg.det(np.array([[4.0, 1.0], [2.0, 3.0]])))
    message = {"greeting": "Hello, " + name.decode("utf-8"), "python": sys.version.split()[0], "numpy": np.__version__,
               "det": round(det, 6)}
    print("computed", json.dumps(message, sort_keys=True))
    write_output(json.dumps(message, sort_keys=True).encode("utf-8"))
    return 0
