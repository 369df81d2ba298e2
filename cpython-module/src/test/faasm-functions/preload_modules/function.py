# Which modules were imported before the function (by the zygote), and how long importing them
# took in this call.
import sys
import time

BEFORE = {m: m in sys.modules for m in ("six", "pyaes", "genshi.template", "numpy", "numpy.random", "numpy.fft")}
t0 = time.perf_counter()
import six  # noqa: E402,F401
import pyaes  # noqa: E402,F401
import genshi.template  # noqa: E402,F401
IMPORT_MS = (time.perf_counter() - t0) * 1000


def faasm_main():
    print("import of six, pyaes, genshi.template: {:.1f} ms".format(IMPORT_MS))
    from pyfaasm.core import write_output
    write_output(" ".join("{}={}".format(m, v) for m, v in sorted(BEFORE.items())).encode("utf-8"))
    return 0
