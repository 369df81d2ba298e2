#!/usr/bin/env bash
# Local-host benchmarks (issue: run Python functions). Prints figures; asserts nothing.
#   1-3, one table, each on wasmtime, the pure-JVM engine (chicory) and Node's node:wasi running the
#   same py_func.wasm: 'mvn faasm-python:run' of hello end to end including Maven start (target:
#   under 2.5 s on wasmtime); per call from the zygote snapshot in a warm JVM (target: under 20 ms);
#   a CPU-bound function (target: wasmtime within 1.5x of node:wasi)
#   4. NumPy: its import per call without and with faasm.preload, six/pyaes/Genshi likewise
#      (target: under 50 ms per call preloaded), and a NumPy-heavy call (256x256 matmul, 2^16 FFT)
#      on wasmtime, chicory, node:wasi and native CPython with Debian's python3-numpy
#   5. NumPy's BLAS: Faasm's numpy_conf (1024x1024 float64 np.dot) on the local host, node:wasi and native
#      NumPy on reference BLAS and on OpenBLAS (target: within 2x of native on reference BLAS)
#   bench/run.sh [all|numpy]
# Needs a built reactor (./mvnw install) and, for 3 and 4, node.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SYSROOT="$ROOT/cpython-module/target/faasm-sysroot"
[ -f "$SYSROOT/wasm/python/py_func/function.wasm" ] || { echo "build first: ./mvnw install" >&2; exit 1; }
cd "$ROOT"
WHAT="${1:-all}"

CP_FILE="$(mktemp)"
(cd faasm-host && ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null)
CP="$(cat "$CP_FILE"):$ROOT/faasm-host/target/classes"
rm -f "$CP_FILE"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
field() { head -1 | sed -n "s/.*median \([0-9.]*\) ms.*/\1/p"; }
first() { head -1 | sed -n "s/.*first call \([0-9.]*\) ms.*/\1/p"; }
work() { sed -n "s/.*work inside the call: median \([0-9.]*\) ms.*/\1/p"; }
declare -A E2E CALL CPU WORK
ENGINES="wasmtime chicory"

if [ "$WHAT" = all ]; then
echo "== 1. ./mvnw faasm-python:run (hello), end to end, per engine (target: under 2.5 s on wasmtime)"
for e in $ENGINES; do
  ./mvnw -B -q -pl cpython-module faasm-python:run -Dfaasm.engine=$e -Dfaasm.function="$ROOT/bench/functions/hello" >/dev/null # warm caches
  for i in 1 2 3; do
    s=$(date +%s.%N)
    ./mvnw -B -q -pl cpython-module faasm-python:run -Dfaasm.engine=$e -Dfaasm.function="$ROOT/bench/functions/hello" >/dev/null
    awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", b - a }'
  done > /tmp/faasm-bench-e2e-$e.txt
  E2E[$e]=$(median < /tmp/faasm-bench-e2e-$e.txt)
  echo "$e: $(tr '\n' ' ' < /tmp/faasm-bench-e2e-$e.txt)s"
done

echo "== 2. per call from the snapshot, warm JVM (target: under 20 ms on wasmtime); 3. a CPU-bound function"
for e in $ENGINES; do
  java -Dfaasm.engine=$e -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/hello 200 2>/dev/null | tee /tmp/faasm-bench-call-$e.txt
  CALL[$e]=$(field < /tmp/faasm-bench-call-$e.txt)
  java -Dfaasm.engine=$e -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/cpu 12 2>/dev/null | tee /tmp/faasm-bench-cpu-$e.txt
  CPU[$e]=$(field < /tmp/faasm-bench-cpu-$e.txt)
  WORK[$e]=$(work < /tmp/faasm-bench-cpu-$e.txt)
done
# the pure-JVM engine with C2 allowed to compile CPython's eval loop (flags a user puts in .mvn/jvm.config)
C2="-XX:-DontCompileHugeMethods -XX:MaxNodeLimit=600000 -XX:NodeLimitFudgeFactor=12000"
java $C2 -Dfaasm.engine=chicory -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/hello 200 2>/dev/null | tee /tmp/faasm-bench-call-c2.txt
CALL[c2]=$(field < /tmp/faasm-bench-call-c2.txt)
java $C2 -Dfaasm.engine=chicory -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/cpu 12 2>/dev/null | tee /tmp/faasm-bench-cpu-c2.txt
CPU[c2]=$(field < /tmp/faasm-bench-cpu-c2.txt)
WORK[c2]=$(work < /tmp/faasm-bench-cpu-c2.txt)
if command -v node >/dev/null; then
  for i in 1 2 3; do
    s=$(date +%s.%N)
    node --no-warnings bench/node-host.mjs "$SYSROOT" "$ROOT/bench/functions/hello" 1 >/dev/null
    awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", b - a }'
  done > /tmp/faasm-bench-e2e-node.txt
  E2E[node]=$(median < /tmp/faasm-bench-e2e-node.txt)
  # node has no snapshot: its first call after the zygote does what every call from the snapshot does
  node --no-warnings bench/node-host.mjs "$SYSROOT" "$ROOT/bench/functions/hello" 200 | tee /tmp/faasm-bench-call-node.txt
  CALL[node]=$(first < /tmp/faasm-bench-call-node.txt)
  # later calls reuse the interpreter's state (the function stays imported): the CPU-bound work is compared inside the call
  node --no-warnings bench/node-host.mjs "$SYSROOT" "$ROOT/bench/functions/cpu" 12 | tee /tmp/faasm-bench-cpu-node.txt
  CPU[node]=$(field < /tmp/faasm-bench-cpu-node.txt)
  WORK[node]=$(work < /tmp/faasm-bench-cpu-node.txt)
else
  echo "node not found: no node:wasi column"
  E2E[node]=-; CALL[node]=-; CPU[node]=-; WORK[node]=-
fi
echo
echo "| same py_func.wasm | wasmtime | chicory (pure JVM) | chicory + C2 flags | node:wasi | target |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| hello, 'faasm-python:run' end to end (s, median of 3; node: one call, whole process) | ${E2E[wasmtime]} | ${E2E[chicory]} | | ${E2E[node]} | wasmtime < 2.5 |"
echo "| hello, per call from the snapshot, warm (ms, median of 200; node: its first call, no snapshot) | ${CALL[wasmtime]} | ${CALL[chicory]} | ${CALL[c2]} | ${CALL[node]} | wasmtime < 20 |"
echo "| CPU-bound function, work inside the call (ms, median of 12) | ${WORK[wasmtime]} | ${WORK[chicory]} | ${WORK[c2]} | ${WORK[node]} | wasmtime within 1.5x of node |"
echo "| CPU-bound function, whole call (ms, median of 12; node: interpreter reused, no snapshot) | ${CPU[wasmtime]} | ${CPU[chicory]} | ${CPU[c2]} | ${CPU[node]} | |"
if [ "${WORK[node]}" != - ]; then
  awk -v w="${WORK[wasmtime]}" -v c="${WORK[chicory]}" -v c2="${WORK[c2]}" -v n="${WORK[node]}" \
    'BEGIN { printf "CPU-bound work vs node:wasi: wasmtime %.2fx, chicory %.1fx, chicory + C2 flags %.1fx\n", w / n, c / n, c2 / n }'
  # this machine has slow and fast phases (the same work takes 64 or 93 ms on node from one minute to the
  # next), so wasmtime and node also run in five back-to-back pairs; the ratio is the median of the pairs'
  for i in 1 2 3 4 5; do
    w=$(java -Dfaasm.engine=wasmtime -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/cpu 12 2>/dev/null | work)
    n=$(node --no-warnings bench/node-host.mjs "$SYSROOT" "$ROOT/bench/functions/cpu" 12 | work)
    echo "$w $n"
  done | tee /tmp/faasm-bench-pairs.txt | awk '{ printf "pair: wasmtime %s ms, node %s ms, %.2fx\n", $1, $2, $1 / $2 }'
  awk '{ print $1 / $2 }' /tmp/faasm-bench-pairs.txt | median | awk '{ printf "CPU-bound work, wasmtime / node:wasi, median of 5 pairs: %.2fx (target: within 1.5x)\n", $1 }'
fi
# Maven's own start-up in this reactor, for the end-to-end row: the same command with the help goal
s=$(date +%s.%N); ./mvnw -B -q -pl cpython-module faasm-python:help >/dev/null
awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "Maven alone (faasm-python:help, same reactor): %.2f s\n", b - a }'
fi

echo "== 4. NumPy and preloading (per call from the snapshot, warm JVM, wasmtime; hello is the host's own per-call cost)"
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/hello 60
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/numpy_import 5
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/numpy_import 60 "" numpy
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/modules_import 5
java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/modules_import 60 "" six,pyaes,genshi.template
echo "-- NumPy-heavy call: 256x256 float64 matmul and a 2^16-point FFT"
for e in $ENGINES; do
  java -Dfaasm.engine=$e -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/numpy_heavy 8 "" numpy 2>/dev/null | grep -v "^matmul"
done
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

echo "== 5. NumPy's BLAS: Faasm's numpy_conf, a 1024x1024 float64 np.dot (work inside the call, median of 5)"
# target: the local host within 2x of native NumPy on Debian's reference BLAS. Chicory is left out: it
# interprets OpenBLAS's kernel (minutes for 2 GFLOP).
W=$(java -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/numpy_conf 5 "" numpy 2>/dev/null | tee /dev/stderr | work)
N=-
if command -v node >/dev/null; then
  N=$(node --no-warnings bench/node-host.mjs "$SYSROOT" "$ROOT/bench/functions/numpy_conf" 6 | tee /dev/stderr | work)
fi
# Debian's python3-numpy on one BLAS or another: the directory of each libblas.so.3 goes first on the
# library path (python3-numpy with libblas3: reference BLAS; libopenblas0-pthread: OpenBLAS)
MA="$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_config_var("MULTIARCH"))' 2>/dev/null || true)"
native() { # <libblas dir> <threads>
  [ -f "/usr/lib/$MA/$1/libblas.so.3" ] && /usr/bin/python3 -c "import numpy" 2>/dev/null || { echo -; return; }
  for i in 1 2 3 4 5; do
    LD_LIBRARY_PATH="/usr/lib/$MA/$1" OPENBLAS_NUM_THREADS=$2 /usr/bin/python3 bench/functions/numpy_conf/function.py \
      | sed -n "s/.* work \([0-9.]*\) ms$/\1/p"
  done | median
}
REF=$(native blas 1)
OB1=$(native openblas-pthread 1)
OBN=$(native openblas-pthread "$(nproc)")
ratio() { [ "$1" != - ] && [ "$2" != - ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo -; }
echo
echo "| numpy_conf: np.dot 1024x1024 float64 (ms) | BLAS | ms | local host / this |"
echo "| --- | --- | --- | --- |"
echo "| local host, wasmtime (py_func.wasm) | OpenBLAS 0.3.21, generic C kernels, 1 thread | $W | 1.00 |"
echo "| node:wasi, same py_func.wasm | same | $N | $(ratio "$W" "$N") |"
echo "| native CPython, Debian python3-numpy | reference BLAS (libblas3) | $REF | $(ratio "$W" "$REF") (target <= 2.0) |"
echo "| native CPython, Debian python3-numpy | OpenBLAS (libopenblas0-pthread), 1 thread | $OB1 | $(ratio "$W" "$OB1") |"
echo "| native CPython, Debian python3-numpy | OpenBLAS (libopenblas0-pthread), $(nproc) threads | $OBN | $(ratio "$W" "$OBN") |"
[ "$REF" = - ] && echo "native rows: apt-get install python3-numpy libblas3 libopenblas0-pthread" || true
