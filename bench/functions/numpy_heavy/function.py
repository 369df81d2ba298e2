# A NumPy-heavy function: a 256x256 float64 matrix product and a 2^16-point FFT.
import numpy as np


def faasm_main():
    rng = np.random.default_rng(1)
    a = rng.random((256, 256))
    b = rng.random((256, 256))
    c = a @ b
    x = np.sin(np.arange(1 << 16) * 0.01)
    f = np.fft.fft(x)
    print("matmul trace {:.6f}, fft peak bin {}".format(float(np.trace(c)), int(np.argmax(np.abs(f[1:1 << 15])) + 1)))
    return 0


if __name__ == "__main__":
    import time
    t0 = time.perf_counter()
    faasm_main()
    print("native call: {:.1f} ms".format((time.perf_counter() - t0) * 1000))
