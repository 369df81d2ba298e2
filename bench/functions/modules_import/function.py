# Import benchmark: a function whose call is its imports of six, pyaes and Genshi's template
# engine (every call starts from the zygote snapshot, so without preloading it imports them afresh).
# The output is how long the imports took inside the call.
import time

T0 = time.perf_counter()
import genshi.template  # noqa: E402,F401
import pyaes  # noqa: E402,F401
import six  # noqa: E402,F401
IMPORT_MS = (time.perf_counter() - T0) * 1000


def faasm_main():
    from pyfaasm.core import write_output
    write_output("imports took {:.1f} ms in the call".format(IMPORT_MS).encode("utf-8"))
    return 0
