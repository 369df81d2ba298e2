"""Unit tests of pyfaasm in local mode, run by the native build python."""

import unittest

import pyfaasm
from pyfaasm import core


class LocalModeTest(unittest.TestCase):
    def setUp(self):
        core._local_state.clear()
        core.set_local_input(b"")

    def test_is_local_without_the_host_module(self):
        self.assertTrue(pyfaasm.is_local())

    def test_input_and_output(self):
        pyfaasm.set_local_input(b"hello")
        self.assertEqual(5, pyfaasm.get_input_len())
        self.assertEqual(b"hello", pyfaasm.read_input())
        self.assertEqual(b"hel", pyfaasm.read_input(3))
        pyfaasm.write_output("out")
        self.assertEqual(b"out", pyfaasm.get_output())

    def test_state_write_then_offsets_like_faasm(self):
        key = "pyStateTest"
        pyfaasm.write_state(key, b"0123456789")
        pyfaasm.push_state(key)
        pyfaasm.write_state_offset(key, 10, 2, b"999")
        pyfaasm.push_state_partial(key)
        self.assertEqual(b"0199956789", pyfaasm.read_state(key, 10))
        self.assertEqual(b"019", pyfaasm.read_state_offset(key, 10, 0, 3))
        self.assertEqual(b"9567", pyfaasm.read_state_offset(key, 10, 4, 4))
        self.assertEqual(10, pyfaasm.read_state_size(key))
        self.assertEqual(10, pyfaasm.get_state_size(key))

    def test_an_existing_value_keeps_its_size_as_in_faabric(self):
        # Faasm's state_test_read: read_state_offset(key, 4, 4, 4) on a 10-byte value; the total
        # length sizes only a value that does not exist yet
        key = "sizedByTheValue"
        pyfaasm.write_state(key, b"0199956789")
        self.assertEqual(b"9567", pyfaasm.read_state_offset(key, 4, 4, 4))
        pyfaasm.write_state_offset(key, 4, 6, b"xy")
        self.assertEqual(b"019995xy89", pyfaasm.read_state(key, 10))
        with self.assertRaises(ValueError) as e:
            pyfaasm.read_state_offset(key, 20, 8, 4)
        self.assertIn("past the value's size 10", str(e.exception))
        self.assertEqual(b"\x00\x00", pyfaasm.read_state_offset("newValue", 4, 2, 2))

    def test_missing_state_has_size_zero(self):
        self.assertEqual(0, pyfaasm.read_state_size("nothing"))
        self.assertEqual(b"\x00\x00", pyfaasm.read_state("nothing", 2))

    def test_chaining_runs_in_process(self):
        seen = []

        def callee(data):
            seen.append(data)
            return 0

        def failing(data):
            exit(3)

        a = pyfaasm.chain(callee, b"1234")
        b = pyfaasm.chain(failing, "5678")
        self.assertEqual(0, pyfaasm.await_call(a))
        self.assertEqual(3, pyfaasm.await_call(b))
        self.assertEqual([b"1234"], seen)

    def test_a_chained_calls_output_is_awaited(self):
        def callee(data):
            pyfaasm.write_output(data[::-1])

        pyfaasm.write_output(b"caller")
        call_id = pyfaasm.chain(callee, b"abc")
        self.assertEqual(b"cba", pyfaasm.await_call_output(call_id))
        self.assertEqual(b"caller", pyfaasm.get_output())

    def test_bad_offsets_raise_value_error(self):
        with self.assertRaises(ValueError):
            pyfaasm.read_state_offset("k", 10, -1, 3)
        with self.assertRaises(ValueError):
            pyfaasm.write_state_offset("k", 4, 2, b"xyz")
        with self.assertRaises(ValueError):
            pyfaasm.read_state("k", -5)

    def test_the_upstream_api_is_complete(self):
        for name in ["get_input_len", "read_input", "write_output", "get_output", "read_state_size", "read_state",
                     "read_state_offset", "write_state", "write_state_offset", "push_state", "push_state_partial",
                     "pull_state", "chain", "await_call", "await_call_output", "set_local_chaining",
                     "set_local_input_output"]:
            self.assertTrue(callable(getattr(core, name)), name)

    def test_local_output_mode_switches_like_upstream(self):
        core.set_local_input_output(True)
        try:
            self.assertTrue(core.is_local_output())
        finally:
            core.set_local_input_output(False)
        self.assertFalse(core.is_local_output())


if __name__ == "__main__":
    unittest.main()
