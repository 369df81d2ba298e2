"""pyfaasm.config, pyfaasm.matrix and pyfaasm.matrix_data in local mode, under the native build python
with NumPy (the pom's testRequirements: NumPy 2.1.3 built for the build python from its sdist)."""

import os
import tempfile
import unittest

import numpy as np

from pyfaasm import core
from pyfaasm.config import RESULT_MATRIX_KEY, SUBMATRICES_KEY_A, SUBMATRICES_KEY_B, MatrixConf
from pyfaasm import matrix
from pyfaasm.matrix_data import reconstruct_matrix_from_files, subdivide_matrix_into_files


def integer_matrix(size, seed):
    # small integers in float32: every product and sum is exact, so results compare equal
    return np.random.default_rng(seed).integers(-8, 8, (size, size)).astype(np.float32)


class MatrixTest(unittest.TestCase):
    def setUp(self):
        core._local_state.clear()
        core._local_calls.clear()

    def test_conf_sizes(self):
        conf = MatrixConf(8, 1)
        self.assertEqual(2, conf.get_submatrices_per_row(1))
        self.assertEqual(4, conf.get_submatrix_size(1))
        self.assertEqual(64, conf.get_bytes_per_submatrix(1))
        self.assertEqual("mat_a_1_0_1", conf.get_submatrix_key(SUBMATRICES_KEY_A, 1, 0, 1))
        self.assertEqual("intermediate_1_0_1_1_0", conf.get_intermediate_result_key(1, 0, 1, 1, 0))
        with self.assertRaisesRegex(ValueError, "cannot be split"):
            MatrixConf(6, 2)

    def test_params_round_trip_through_state(self):
        matrix.write_matrix_params_to_state(16, 2)
        conf = matrix.load_matrix_conf_from_state()
        self.assertEqual((16, 2), (conf.matrix_size, conf.n_splits))

    def test_state_round_trip_and_one_submatrix(self):
        conf = MatrixConf(8, 2)
        a = integer_matrix(8, 1)
        matrix.subdivide_matrix_into_state(conf, a, "tester")
        self.assertTrue(np.array_equal(a, matrix.reconstruct_matrix_from_submatrices(conf, "tester")))
        self.assertTrue(np.array_equal(a[2:4, 6:8], matrix.read_input_submatrix(conf, "tester", 1, 3)))

    def test_file_round_trip(self):
        conf = MatrixConf(8, 1)
        a = matrix.random_matrix(8)
        self.assertEqual(np.float32, a.dtype)
        with tempfile.TemporaryDirectory() as d:
            subdivide_matrix_into_files(conf, a, d, "m")
            self.assertEqual(4, len(os.listdir(d)))
            self.assertTrue(np.array_equal(a, reconstruct_matrix_from_files(conf, d, "m")))

    def _multiply(self, size, splits):
        a, b = integer_matrix(size, 2), integer_matrix(size, 3)
        matrix.write_matrix_params_to_state(size, splits)
        conf = matrix.load_matrix_conf_from_state()
        matrix.subdivide_matrix_into_state(conf, a, SUBMATRICES_KEY_A)
        matrix.subdivide_matrix_into_state(conf, b, SUBMATRICES_KEY_B)
        result = matrix.divide_and_conquer()
        self.assertTrue(np.array_equal(a @ b, result))
        stored = np.frombuffer(core.read_state(RESULT_MATRIX_KEY, size * size * 4), dtype=np.float32).reshape(size, size)
        self.assertTrue(np.array_equal(a @ b, stored))

    def test_divide_and_conquer_8x8_one_split(self):
        self._multiply(8, 1)
        self.assertEqual(8, len(core._local_calls))  # eight chained products

    def test_divide_and_conquer_16x16_two_splits(self):
        self._multiply(16, 2)
        self.assertEqual(8 + 64, len(core._local_calls))

    def test_no_split(self):
        self._multiply(4, 0)

    def test_worker_refuses_bad_input(self):
        matrix.write_matrix_params_to_state(8, 1)
        with self.assertRaisesRegex(ValueError, "five int32"):
            matrix.distributed_divide_and_conquer(b"\x01\x02")


if __name__ == "__main__":
    unittest.main()
