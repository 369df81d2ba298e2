"""The NumPy-heavy call (bench/functions/numpy_heavy) step by step, each timed inside the call:
what a call pays on first use (a lazily imported subpackage, an FFT plan) and what the arithmetic
costs. Output: one line per step, "<step>: <ms> ms"."""
import time

import numpy as np
from pyfaasm.core import write_output


def faasm_main():
    lines = []

    def step(name, f):
        t0 = time.perf_counter()
        r = f()
        lines.append("{}: {:.1f} ms".format(name, (time.perf_counter() - t0) * 1000))
        return r

    rng = step("np.random.default_rng(1)", lambda: np.random.default_rng(1))
    a = step("rng.random((256, 256))", lambda: rng.random((256, 256)))
    b = rng.random((256, 256))
    step("a @ b, 256x256 float64", lambda: a @ b)
    step("a @ b, again", lambda: a @ b)
    x = step("np.sin(np.arange(2^16) * 0.01)", lambda: np.sin(np.arange(1 << 16) * 0.01))
    step("np.fft.fft, 2^16 points", lambda: np.fft.fft(x))
    step("np.fft.fft, again", lambda: np.fft.fft(x))
    write_output("\n".join(lines).encode("utf-8"))
    return 0
