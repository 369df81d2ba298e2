# Linear algebra (BLAS from OpenBLAS, LAPACK from NumPy's bundled lapack_lite), FFT (pocketfft) and
# the random generators against known answers; the output lists each check and the return code is
# the number that failed.
import numpy as np


def faasm_main():
    checks = {}
    a = np.array([[4.0, 1.0], [2.0, 3.0]])
    checks["det"] = np.isclose(np.linalg.det(a), 10.0)
    checks["inv"] = np.allclose(np.linalg.inv(a), np.array([[0.3, -0.1], [-0.2, 0.4]]))
    checks["solve"] = np.allclose(np.linalg.solve(a, np.array([1.0, 2.0])), np.array([0.1, 0.6]))
    checks["eigvalsh"] = np.allclose(np.linalg.eigvalsh(np.array([[2.0, 1.0], [1.0, 2.0]])), [1.0, 3.0])
    checks["svd"] = np.allclose(np.linalg.svd(np.diag([3.0, 1.0, 2.0]), compute_uv=False), [3.0, 2.0, 1.0])
    q, r = np.linalg.qr(np.arange(1.0, 10.0).reshape(3, 3) + np.eye(3))
    checks["qr"] = np.allclose(q @ r, np.arange(1.0, 10.0).reshape(3, 3) + np.eye(3))
    checks["matmul"] = (np.arange(6).reshape(2, 3) @ np.arange(6).reshape(3, 2)).tolist() == [[10, 13], [28, 40]]
    # products that go to BLAS (gemm for each type, gemv, syrk for a @ a.T, dot) against NumPy's own loops
    g = np.random.default_rng(7)
    for name, dtype in (("dgemm", np.float64), ("sgemm", np.float32), ("zgemm", np.complex128), ("cgemm", np.complex64)):
        x = g.random((64, 48)).astype(dtype)
        y = g.random((48, 40)).astype(dtype)
        if np.iscomplexobj(x):
            x = x + 1j * g.random((64, 48)).astype(dtype)
        checks["blas_" + name] = np.allclose(x @ y, (x[:, :, None] * y[None, :, :]).sum(axis=1),
                                             rtol=1e-4 if dtype in (np.float32, np.complex64) else 1e-10)
    m = g.random((50, 30))
    v = g.random(30)
    checks["blas_gemv"] = np.allclose(m @ v, (m * v).sum(axis=1), rtol=1e-12)
    checks["blas_syrk"] = np.allclose(m @ m.T, (m[:, None, :] * m[None, :, :]).sum(axis=2), rtol=1e-12)
    checks["blas_dot"] = np.isclose(np.dot(v, v), float((v * v).sum()), rtol=1e-12)
    checks["fft"] = np.allclose(np.fft.fft([1.0, 2.0, 3.0, 4.0]), [10, -2 + 2j, -2, -2 - 2j])
    checks["ifft"] = np.allclose(np.fft.ifft(np.fft.fft(np.arange(16.0))).real, np.arange(16.0))
    checks["rfft"] = np.allclose(np.fft.rfft(np.cos(2 * np.pi * 3 * np.arange(64) / 64)).real.round(6)[3], 32.0)
    rng = np.random.default_rng(42)
    checks["default_rng"] = rng.integers(0, 100, 5).tolist() == [8, 77, 65, 43, 43]
    checks["default_rng_random"] = np.isclose(np.random.default_rng(42).random(), 0.7739560485559633)
    np.random.seed(0)
    checks["legacy_seed"] = np.isclose(np.random.rand(), 0.5488135039273248)
    failed = [k for k, ok in checks.items() if not ok]
    for k, ok in checks.items():
        print(k, "ok" if ok else "FAILED")
    return len(failed)
