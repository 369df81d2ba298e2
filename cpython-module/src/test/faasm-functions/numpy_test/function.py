# What Faasm's own numpy_test function does (arrays, dtypes, indexing, printing, the build
# configuration), with each result written out so the test can check it.
import numpy as np


def faasm_main():
    print("numpy", np.__version__)
    np.__config__.show()  # must not crash

    a = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    print("10={} 6={} 1,2={}".format(a[10], a[6], a[1:3]))
    print("a1 equal" if a[1] == 1 else "a1 not equal")
    print("ints:", ", ".join(str(x) for x in a), a.dtype, a.shape, a.strides)

    ia = np.random.randint(0, 100, size=10)
    print("random ints in range:", bool(((ia >= 0) & (ia < 100)).all()), ia.dtype, ia.shape)

    f = np.arange(10.0)
    f[1] = 7.2
    f[2] = 9.0
    f.__setitem__(3, 10.0)
    f[5:8] = [41, 42, 43]
    f[4] = 10.0
    print("floats:", repr(f), "sum", np.sum(f), "item", f[3].item() + 0.0)

    m = np.arange(9.0).reshape((3, 3))
    r = np.multiply(m, np.arange(3.0))
    print("matrix:", m.tolist(), "multiplied sum", np.sum(r))
    print("dtypes:", [str(np.dtype(t)) for t in ("i1", "u2", "i8", "f2", "f4", "f8", "c16", "?", "U3")])
    print("longdouble:", repr(np.longdouble("1.5") * 2), np.finfo(np.longdouble).bits)
    b = np.arange(24).reshape(2, 3, 4)
    print("fancy:", b[1, ::2, [0, 3]].tolist(), b[b % 5 == 0].tolist(), b.sum(axis=(0, 2)).tolist())
    print("strings:", np.char.upper(np.array(["faasm", "wasm"])).tolist(), np.sort(np.array([3, 1, 2])).tolist())
    return 0
