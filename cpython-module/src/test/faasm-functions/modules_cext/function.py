import sys

import faasm_cext_demo
from faasm_cext_demo import _native

from pyfaasm.core import write_output


def fnv1a(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def faasm_main():
    data = b"Hello faasm"
    parts = [
        "add=" + str(faasm_cext_demo.add(40, 2)),
        "fnv1a_matches=" + str(faasm_cext_demo.fnv1a(data) == fnv1a(data)),
        "platform=" + faasm_cext_demo.platform(),
        "origin=" + str(_native.__spec__.origin),
        "builtin=" + str("faasm_cext_demo._native" in sys.builtin_module_names),
    ]
    write_output(";".join(parts).encode("ascii"))
