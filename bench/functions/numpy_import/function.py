# Import benchmark: the call's cost is NumPy's import (unless the zygote preloaded it). The output
# is how long the import took inside the call.
import time

T0 = time.perf_counter()
import numpy  # noqa: E402,F401
IMPORT_MS = (time.perf_counter() - T0) * 1000


def faasm_main():
    from pyfaasm.core import write_output
    write_output("import took {:.1f} ms in the call".format(IMPORT_MS).encode("utf-8"))
    return 0
