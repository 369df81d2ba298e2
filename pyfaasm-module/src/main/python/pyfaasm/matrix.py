"""Divide-and-conquer matrix multiplication over Faasm state and chained calls (upstream ``pyfaasm.matrix``).

The caller writes the configuration (``write_matrix_params_to_state``) and the two input matrices
(``subdivide_matrix_into_state`` with ``SUBMATRICES_KEY_A`` / ``SUBMATRICES_KEY_B``), then calls
``divide_and_conquer``: each split level fans out into eight chained calls of
``distributed_divide_and_conquer`` (one per product of quadrants), the last level multiplies
submatrices, and each level adds the products of the level below. The result is in state under
``RESULT_MATRIX_KEY``.

A Faasm function that uses it makes the worker reachable by name, as a chained call runs
``<entry>(input)`` of the same function::

    from pyfaasm.matrix import divide_and_conquer, distributed_divide_and_conquer  # noqa: F401
"""

import numpy as np

from pyfaasm.config import (  # noqa: F401 (upstream exports these names from pyfaasm.matrix too)
    MATRIX_CONF_STATE_KEY,
    RESULT_MATRIX_KEY,
    SUBMATRICES_KEY_A,
    SUBMATRICES_KEY_B,
    MatrixConf,
)
from pyfaasm.core import await_call, chain, pull_state, push_state, read_state, write_state
from pyfaasm.matrix_data import do_reconstruct_matrix, do_subdivide_matrix

_PARAMS = np.dtype(np.int32)


def _set(key, data):
    write_state(key, data)
    push_state(key)


def _get(key, length):
    pull_state(key, length)
    return read_state(key, length)


def write_matrix_params_to_state(matrix_size, n_splits):
    """Stores the matrix size and number of splits for every worker."""
    MatrixConf(matrix_size, n_splits)  # refuses sizes that cannot be split
    _set(MATRIX_CONF_STATE_KEY, np.array((matrix_size, n_splits), dtype=_PARAMS).tobytes())


def load_matrix_conf_from_state():
    """The MatrixConf written by write_matrix_params_to_state."""
    params = np.frombuffer(_get(MATRIX_CONF_STATE_KEY, 2 * _PARAMS.itemsize), dtype=_PARAMS)
    return MatrixConf(int(params[0]), int(params[1]))


def random_matrix(size):
    """A size x size matrix of uniform random float32 values in [0, 1)."""
    return np.random.rand(size, size).astype(np.float32)


def subdivide_matrix_into_state(conf, mat, key_prefix):
    """Writes each submatrix of the last split level to state under key_prefix."""
    def _write(data, row_idx, col_idx):
        _set(conf.get_submatrix_key(key_prefix, conf.n_splits, row_idx, col_idx), data)

    do_subdivide_matrix(conf, mat, _write)


def read_input_submatrix(conf, key_prefix, row_idx, col_idx):
    """One submatrix of the last split level, from state."""
    size = conf.get_submatrix_size(conf.n_splits)
    data = _get(conf.get_submatrix_key(key_prefix, conf.n_splits, row_idx, col_idx), conf.get_bytes_per_submatrix(conf.n_splits))
    return np.frombuffer(data, dtype=np.float32).reshape(size, size)


def reconstruct_matrix_from_submatrices(conf, key_prefix):
    """The whole matrix from its submatrices in state."""
    def _read(row_idx, col_idx):
        return _get(conf.get_submatrix_key(key_prefix, conf.n_splits, row_idx, col_idx), conf.get_bytes_per_submatrix(conf.n_splits))

    return do_reconstruct_matrix(conf, _read)


def distributed_divide_and_conquer(input_bytes):
    """The worker: multiplies one pair of quadrants (at the last level) or fans out again."""
    conf = load_matrix_conf_from_state()
    data = bytes(input_bytes)
    if len(data) != 5 * _PARAMS.itemsize:
        raise ValueError("distributed_divide_and_conquer expects five int32 (split level, row/col of A, row/col of B), got {} bytes"
                         .format(len(data)))
    args = np.frombuffer(data, dtype=_PARAMS)
    split_level, row_a, col_a, row_b, col_b = (int(x) for x in args)
    if split_level == conf.n_splits:
        result = np.dot(read_input_submatrix(conf, SUBMATRICES_KEY_A, row_a, col_a),
                        read_input_submatrix(conf, SUBMATRICES_KEY_B, row_b, col_b))
    else:
        result = chain_multiplications(conf, split_level, row_a, col_a, row_b, col_b)
    _set(conf.get_intermediate_result_key(split_level, row_a, col_a, row_b, col_b), result.astype(np.float32).tobytes())
    return 0


def divide_and_conquer():
    """Multiplies the matrices in state (A and B) and writes the product under RESULT_MATRIX_KEY; returns it."""
    conf = load_matrix_conf_from_state()
    print("Running divide and conquer for {0}x{0} matrix with {1} splits".format(conf.matrix_size, conf.n_splits))
    if conf.n_splits == 0:
        result = np.dot(read_input_submatrix(conf, SUBMATRICES_KEY_A, 0, 0), read_input_submatrix(conf, SUBMATRICES_KEY_B, 0, 0))
    else:
        result = chain_multiplications(conf, 0, 0, 0, 0, 0)
    result = result.astype(np.float32)
    _set(RESULT_MATRIX_KEY, result.tobytes())
    return result


def get_addition_result(conf, split_level, addition_def):
    """The sum of the two products of one quadrant of the result (from the workers' state)."""
    size = conf.get_submatrix_size(split_level)
    length = conf.get_bytes_per_submatrix(split_level)
    total = None
    for (a, b) in addition_def:
        key = conf.get_intermediate_result_key(split_level, a[0], a[1], b[0], b[1])
        mat = np.frombuffer(_get(key, length), dtype=np.float32).reshape(size, size)
        total = mat if total is None else total + mat
    return total


def chain_multiplications(conf, split_level, row_a, col_a, row_b, col_b):
    """Chains the eight quadrant products of one block product, waits for them, adds them up."""
    level = split_level + 1
    a11, a12 = (2 * row_a, 2 * col_a), (2 * row_a, 2 * col_a + 1)
    a21, a22 = (2 * row_a + 1, 2 * col_a), (2 * row_a + 1, 2 * col_a + 1)
    b11, b12 = (2 * row_b, 2 * col_b), (2 * row_b, 2 * col_b + 1)
    b21, b22 = (2 * row_b + 1, 2 * col_b), (2 * row_b + 1, 2 * col_b + 1)
    additions = [
        [(a11, b11), (a12, b21)], [(a11, b12), (a12, b22)],
        [(a21, b11), (a22, b21)], [(a21, b12), (a22, b22)],
    ]
    call_ids = []
    for pair in additions:
        for a, b in pair:
            args = np.array([level, a[0], a[1], b[0], b[1]], dtype=_PARAMS)
            call_ids.append(chain(distributed_divide_and_conquer, args.tobytes()))
    for call_id in call_ids:
        code = await_call(call_id)
        if code != 0:
            raise RuntimeError("chained call {} of distributed_divide_and_conquer failed with return code {}".format(call_id, code))
    r = [get_addition_result(conf, level, pair) for pair in additions]
    return np.concatenate((np.concatenate((r[0], r[1]), axis=1), np.concatenate((r[2], r[3]), axis=1)), axis=0)
