#!/usr/bin/env bash
# Local-host benchmarks (issue: run Python functions). Prints figures; asserts nothing.
#   1. 'mvn faasm-python:run' of hello, end to end, including Maven start (target: at most 5 s)
#   2. per call from the zygote snapshot in one warm JVM (target: at most 50 ms for hello)
#   3. a CPU-bound function on Chicory beside Node's node:wasi running the same py_func.wasm
# Needs a built reactor (./mvnw install) and, for 3, node.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SYSROOT="$ROOT/cpython-module/target/faasm-sysroot"
[ -f "$SYSROOT/wasm/python/py_func/function.wasm" ] || { echo "build first: ./mvnw install" >&2; exit 1; }
cd "$ROOT"

echo "== 1. ./mvnw faasm-python:run (hello), end to end"
./mvnw -B -q -pl cpython-module faasm-python:run -Dfaasm.function="$ROOT/bench/functions/hello" >/dev/null # warm caches
for i in 1 2 3; do
  s=$(date +%s.%N)
  ./mvnw -B -q -pl cpython-module faasm-python:run -Dfaasm.function="$ROOT/bench/functions/hello" >/dev/null
  awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "run %d: %.2f s (target <= 5 s)\n", '"$i"', b - a }'
done

CP_FILE="$(mktemp)"
(cd faasm-python-maven-plugin && ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null)
CP="$(cat "$CP_FILE"):$ROOT/faasm-python-maven-plugin/target/classes"
rm -f "$CP_FILE"

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
