import _pyfaasm

from pyfaasm.core import write_output


def faasm_main():
    flags = [_pyfaasm.conf_flag(name) for name in ("ALWAYS_ON", "ALWAYS_OFF", "PYTHON_PRELOAD")]
    write_output(" ".join(str(f) for f in flags).encode("utf-8"))
