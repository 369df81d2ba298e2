"""Runs a Faasm function's faasm_main natively, with pyfaasm's write_output captured: the native column
of bench/pyperformance.sh. Usage: <python> bench/native-call.py <function dir> <calls>
Prints "<name>: work inside the call: median X ms, min Y ms" from the "work X ms" each call writes."""
import re
import sys
import types

fn_dir, calls = sys.argv[1].rstrip("/"), int(sys.argv[2])
name = fn_dir.rsplit("/", 1)[-1]
written = []
core = types.ModuleType("pyfaasm.core")
core.write_output = lambda data: written.append(bytes(data).decode("utf-8"))
pyfaasm = types.ModuleType("pyfaasm")
pyfaasm.core = core
sys.modules["pyfaasm"] = pyfaasm
sys.modules["pyfaasm.core"] = core
path = fn_dir + "/function.py"
ns = {"__name__": "function", "__file__": path}
with open(path) as f:
    exec(compile(f.read(), path, "exec"), ns)
work = []
for _ in range(calls):
    written.clear()
    rc = ns["faasm_main"]()
    if rc not in (None, 0):
        sys.exit("{}: return code {}".format(name, rc))
    m = re.search(r"work ([0-9.]+) ms", written[-1] if written else "")
    if not m:
        sys.exit("{}: no 'work <ms> ms' in the output {!r}".format(name, written))
    work.append(float(m.group(1)))
work.sort()
print("{}: work inside the call: median {:.1f} ms, min {:.1f} ms".format(name, work[(len(work) - 1) // 2], work[0]))
