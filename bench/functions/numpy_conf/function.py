# Faasm's numpy_conf: NumPy's BLAS and a 1024x1024 float64 np.dot (BLAS dgemm), timed inside the call.
# Its output ends with "work <ms> ms" (the dot alone); the same file runs natively (python3 function.py)
# for the comparison in bench/run.sh.
import time

import numpy as np


def blas_name():
    try:
        return np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]  # NumPy 2
    except TypeError:  # NumPy 1.x has no mode argument
        return "see np.show_config()"


def faasm_main():
    rng = np.random.default_rng(1)
    a = rng.random((1024, 1024))
    b = rng.random((1024, 1024))
    t0 = time.perf_counter()
    c = np.dot(a, b)
    ms = (time.perf_counter() - t0) * 1000
    # the same product computed once more by rows (NumPy's own loops) would take minutes; a row of it checks the result
    row = (a[7] * b.T).sum(axis=1)
    text = "BLAS {}, trace {:.6f}, row check {}: np.dot 1024x1024 float64 work {:.1f} ms".format(
        blas_name(), float(np.trace(c)), bool(np.allclose(row, c[7])), ms)
    try:
        from pyfaasm.core import write_output
    except ImportError:  # natively
        print(text)
    else:
        write_output(text.encode("ascii"))
    return 0


if __name__ == "__main__":
    faasm_main()
