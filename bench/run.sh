#!/usr/bin/env bash
# Local-host benchmarks (issue: run Python functions). Prints figures; asserts nothing.
#   1. 'mvn faasm-python:run' of hello, end to end, including Maven start (target: at most 5 s)
#   2. per call from the zygote snapshot in one warm JVM (target: at most 50 ms for hello)
#   3. a CPU-bound function on Chicory beside Node's node:wasi running the same py_func.wasm
#   4. NumPy: its import per call without and with faasm.preload, six/pyaes/Genshi likewise
#      (target: under 50 ms per call preloaded), and a NumPy-heavy call (256x256 matmul, 2^16 FFT)
#      on Chicory, node:wasi and native CPython with Debian's python3-numpy
#   bench/run.sh [all|numpy]
# Needs a built reactor (./mvnw install) and, for 3 and 4, node.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SYSROOT="$ROOT/cpython-module/target/faasm-sysroot"
[ -f "$SYSROOT/wasm/python/py_func/function.wasm" ] || { echo "build first: ./mvnw install" >&2; exit 1; }
cd "$ROOT"
WHAT="${1:-all}"

CP_FILE="$(mktemp)"
(cd faasm-python-maven-plugin && ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null)
CP="$(cat "$CP_FILE"):$ROOT/faasm-python-maven-plugin/target/classes"
rm -f "$CP_FILE"

if [ "$WHAT" = all ]; then
echo "== 1. ./mvnw faasm-python:run (hello), end to end"
./mvnw -B -q -pl cpython-module faasm-python:run -Dfaasm.function="$ROOT/bench/functions/hello" >/dev/null # warm caches
for i in 1 2 3; do
  s=$(date +%s.%N)
  ./mvnw -B -q -pl cpython-module faasm-python:run -Dfaasm.function="$ROOT/bench/functions/hello" >/dev/null
  awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "run %d: %.2f s (target <= 5 s)\n", '"$i"', b - a }'
done

echo "== 2. per call from the snapshot, warm JVM"
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/hello 200

echo "== 3. CPU-bound function: Chicory (warm) vs node:wasi"
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/cpu 12 | tee /tmp/faasm-bench-chicory.txt
if command -v node >/dev/null; then
  node bench/node-host.mjs "$SYSROOT" "$ROOT/bench/functions/cpu" 12 | tee /tmp/faasm-bench-node.txt
  awk 'FNR==1 && NR==1 { match($0, /median [0-9.]+/); c = substr($0, RSTART + 7, RLENGTH - 7) }
       FNR==1 && NR==2 { match($0, /median [0-9.]+/); n = substr($0, RSTART + 7, RLENGTH - 7) }
       END { printf "Chicory / node:wasi, median CPU-bound call: %.1fx\n", c / n }' /tmp/faasm-bench-chicory.txt /tmp/faasm-bench-node.txt
else
  echo "node not found: skipping the node:wasi comparison"
fi
fi

echo "== 4. NumPy and preloading (per call from the snapshot, warm JVM; hello is the host's own per-call cost)"
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/hello 60
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/numpy_import 5
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/numpy_import 60 "" numpy
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/modules_import 5
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/modules_import 60 "" six,pyaes,genshi.template
echo "-- NumPy-heavy call: 256x256 float64 matmul and a 2^16-point FFT"
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/numpy_heavy 8 "" numpy 2>&1 | grep -v "^matmul"
if command -v node >/dev/null; then
  node --no-warnings bench/node-host.mjs "$SYSROOT" "$ROOT/bench/functions/numpy_heavy" 8 | grep -v "^matmul"
fi
# Debian's python3 with Debian's python3-numpy (not whatever python3 comes first on the PATH)
if /usr/bin/python3 -c "import numpy" 2>/dev/null; then
  V="$(/usr/bin/python3 -c 'import sys, numpy; print("%d.%d" % sys.version_info[:2], "NumPy", numpy.__version__)')"
  for i in 1 2 3; do
    /usr/bin/python3 bench/functions/numpy_heavy/function.py | sed -n "s/^native call/native CPython $V call/p"
  done
else
  echo "python3-numpy not installed: skipping the native comparison"
fi
