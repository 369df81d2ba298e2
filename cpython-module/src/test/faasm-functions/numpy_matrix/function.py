# pyfaasm's distributed matrix multiplication: an 8x8 float32 product with one split, fanned out
# through eight chained calls of distributed_divide_and_conquer and state.
import numpy as np

from pyfaasm.config import SUBMATRICES_KEY_A, SUBMATRICES_KEY_B
from pyfaasm.core import write_output
from pyfaasm.matrix import (  # noqa: F401 (distributed_divide_and_conquer: the chained entry)
    distributed_divide_and_conquer,
    divide_and_conquer,
    load_matrix_conf_from_state,
    reconstruct_matrix_from_submatrices,
    subdivide_matrix_into_state,
    write_matrix_params_to_state,
)
from pyfaasm.config import RESULT_MATRIX_KEY


def faasm_main():
    rng = np.random.default_rng(7)
    a = rng.integers(-8, 8, (8, 8)).astype(np.float32)
    b = rng.integers(-8, 8, (8, 8)).astype(np.float32)
    write_matrix_params_to_state(8, 1)
    conf = load_matrix_conf_from_state()
    subdivide_matrix_into_state(conf, a, SUBMATRICES_KEY_A)
    subdivide_matrix_into_state(conf, b, SUBMATRICES_KEY_B)
    divide_and_conquer()
    from pyfaasm.core import read_state
    result = np.frombuffer(read_state(RESULT_MATRIX_KEY, 8 * 8 * 4), dtype=np.float32).reshape(8, 8)
    equal = bool(np.array_equal(result, a @ b))
    write_output("equal={} trace={}".format(equal, float(np.trace(result))).encode("utf-8"))
    return 0 if equal else 1
