"""Splitting matrices into submatrices and putting them back together (upstream ``pyfaasm.matrix_data``).

The submatrices of the last split level are handed to ``write_func(bytes, row, col)`` and read
back from ``read_func(row, col)``; state (``pyfaasm.matrix``) and files (here) are two such stores.
"""

from os.path import join

import numpy as np


def do_subdivide_matrix(conf, mat, write_func):
    """Hands every submatrix of ``mat`` at split level ``conf.n_splits`` to write_func(bytes, row, col)."""
    mat = np.asarray(mat, dtype=np.float32)
    if mat.shape != (conf.matrix_size, conf.matrix_size):
        raise ValueError("expected a {0}x{0} matrix, got shape {1}".format(conf.matrix_size, mat.shape))
    per_row = conf.get_submatrices_per_row(conf.n_splits)
    size = conf.get_submatrix_size(conf.n_splits)
    for row_idx in range(per_row):
        for col_idx in range(per_row):
            sub = mat[row_idx * size:(row_idx + 1) * size, col_idx * size:(col_idx + 1) * size]
            write_func(np.ascontiguousarray(sub).tobytes(), row_idx, col_idx)


def do_reconstruct_matrix(conf, read_func):
    """The whole matrix from the submatrices read_func(row, col) returns (as bytes)."""
    per_row = conf.get_submatrices_per_row(conf.n_splits)
    size = conf.get_submatrix_size(conf.n_splits)
    rows = []
    for row_idx in range(per_row):
        subs = []
        for col_idx in range(per_row):
            data = read_func(row_idx, col_idx)
            expected = conf.get_bytes_per_submatrix(conf.n_splits)
            if len(data) != expected:
                raise ValueError("submatrix ({}, {}) has {} bytes, expected {}".format(row_idx, col_idx, len(data), expected))
            subs.append(np.frombuffer(data, dtype=np.float32).reshape(size, size))
        rows.append(np.concatenate(subs, axis=1))
    return np.concatenate(rows, axis=0)


def subdivide_matrix_into_files(conf, mat, file_dir, file_prefix):
    """Writes each submatrix to its own file in file_dir."""
    def _write(data, row_idx, col_idx):
        with open(join(file_dir, conf.get_submatrix_key(file_prefix, conf.n_splits, row_idx, col_idx)), "wb") as fh:
            fh.write(data)

    do_subdivide_matrix(conf, mat, _write)


def reconstruct_matrix_from_files(conf, file_dir, file_prefix):
    """The matrix written by subdivide_matrix_into_files."""
    def _read(row_idx, col_idx):
        with open(join(file_dir, conf.get_submatrix_key(file_prefix, conf.n_splits, row_idx, col_idx)), "rb") as fh:
            return fh.read()

    return do_reconstruct_matrix(conf, _read)
