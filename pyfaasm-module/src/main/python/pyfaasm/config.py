"""Configuration of pyfaasm's distributed matrix multiplication (upstream ``pyfaasm.config``).

Matrices are square, of 32-bit floats (one representation for wasm and native code), and split
``n_splits`` times into quadrants: at split level ``s`` a matrix is a grid of ``2**s`` x ``2**s``
submatrices of ``matrix_size // 2**s`` rows each.
"""

NP_ELEMENT_SIZE = 4  # bytes of a float32

SUBMATRICES_KEY_A = "mat_a"
SUBMATRICES_KEY_B = "mat_b"
INTERMEDIATE_RESULT_PREFIX = "intermediate"
RESULT_MATRIX_KEY = "result_matrix"
MATRIX_CONF_STATE_KEY = "matrix_state"


class MatrixConf(object):
    """The size of the matrices and how often they are split."""

    def __init__(self, matrix_size, n_splits):
        matrix_size, n_splits = int(matrix_size), int(n_splits)
        if matrix_size <= 0:
            raise ValueError("matrix_size must be positive, got {}".format(matrix_size))
        if n_splits < 0:
            raise ValueError("n_splits must not be negative, got {}".format(n_splits))
        if matrix_size % (2 ** n_splits) != 0:
            raise ValueError("a {0}x{0} matrix cannot be split {1} times: {0} is not a multiple of {2}".format(
                matrix_size, n_splits, 2 ** n_splits))
        self.matrix_size = matrix_size
        self.n_splits = n_splits
        self.bytes_per_matrix = matrix_size * matrix_size * NP_ELEMENT_SIZE

    def get_submatrices_per_row(self, split_level):
        return 2 ** split_level

    def get_submatrix_size(self, split_level):
        return self.matrix_size // (2 ** split_level)

    def get_bytes_per_submatrix(self, split_level):
        size = self.get_submatrix_size(split_level)
        return size * size * NP_ELEMENT_SIZE

    def get_intermediate_result_key(self, split_level, row_a, col_a, row_b, col_b):
        return "{}_{}_{}_{}_{}_{}".format(INTERMEDIATE_RESULT_PREFIX, split_level, row_a, col_a, row_b, col_b)

    def get_submatrix_key(self, key_prefix, split_level, row_idx, col_idx):
        return "{}_{}_{}_{}".format(key_prefix, split_level, row_idx, col_idx)
