import fastsum
import fastsum._sum

from pyfaasm.core import write_output


def faasm_main():
    # the C extension itself, linked into py_func.wasm: a built-in module, not a file
    kind = "built-in" if fastsum._sum.__spec__.origin == "built-in" else fastsum._sum.__spec__.origin
    write_output(("total=%d %s" % (fastsum.total([1, 2, 3, 4, 5, 10**12]), kind)).encode("utf-8"))
    return 0
