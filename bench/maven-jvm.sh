#!/usr/bin/env bash
# Maven's own JVM with and without the start-up flags ./mvnw uses (.mvn/jvm.config):
# -XX:TieredStopAtLevel=1 -XX:+UseSerialGC. Prints both side by side; asserts nothing.
#   1. Maven alone (faasm-python:help), 2. faasm-python:run of hello end to end on wasmtime and on
#   the pure-JVM engine, 3. the pure-JVM engine inside such a JVM: translating py_func.wasm to
#   bytecode (what package does), per call and a CPU-bound call, 4. a no-op ./mvnw install.
#   bench/maven-jvm.sh [runs]   (default 3 runs of each timed command; medians)
# Needs a built reactor (./mvnw install).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SYSROOT="$ROOT/cpython-module/target/faasm-sysroot"
[ -f "$SYSROOT/wasm/python/py_func/function.wasm" ] || { echo "build first: ./mvnw install" >&2; exit 1; }
RUNS="${1:-3}"
cd "$ROOT"
WORK="$(mktemp -d)"
cp .mvn/jvm.config "$WORK/jvm.config.saved"
trap 'cp "$WORK/jvm.config.saved" .mvn/jvm.config; rm -rf "$WORK"' EXIT
FAST="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
# the repository's jvm.config without these flags, for the "without" column
BASE="$(grep -v -e TieredStopAtLevel -e UseSerialGC .mvn/jvm.config | tr '\n' ' ')"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
timed() { # seconds of one command, silenced
  local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", b - a }'
}
# runs ./mvnw with Maven's JVM options for the variant: "with" (as jvm.config has them) or "without"
mvnw_as() {
  local variant="$1"; shift
  if [ "$variant" = without ]; then
    echo "$BASE" > .mvn/jvm.config
  else
    echo "$BASE $FAST" > .mvn/jvm.config
  fi
  ./mvnw "$@"
}
declare -A R
row() { printf '%-62s %10s %10s\n' "$1" "$2" "$3"; }

for v in without with; do
  for i in $(seq "$RUNS"); do timed mvnw_as $v -B -q -pl cpython-module faasm-python:help; done > "$WORK/help-$v"
  R[help-$v]=$(median < "$WORK/help-$v")
  for e in wasmtime chicory; do
    mvnw_as $v -B -q -pl cpython-module faasm-python:run -Dfaasm.engine=$e -Dfaasm.function="$ROOT/bench/functions/hello" >/dev/null 2>&1
    for i in $(seq "$RUNS"); do
      timed mvnw_as $v -B -q -pl cpython-module faasm-python:run -Dfaasm.engine=$e -Dfaasm.function="$ROOT/bench/functions/hello"
    done > "$WORK/run-$e-$v"
    R[run-$e-$v]=$(median < "$WORK/run-$e-$v")
  done
  R[noop-$v]=$(timed mvnw_as $v -B -q install -DskipTests)
done

CP_FILE="$WORK/cp"
(cd faasm-host && ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null)
CP="$(cat "$CP_FILE"):$ROOT/faasm-host/target/classes"
# the entrypoint without the bytecode shipped beside it, so the engine translates it, as package does
BARE="$WORK/sysroot"
mkdir -p "$BARE/wasm/python/py_func"
cp "$SYSROOT/wasm/python/py_func/function.wasm" "$BARE/wasm/python/py_func/"
ln -s "$SYSROOT/runtime_root" "$BARE/runtime_root"
for v in without with; do
  flags=""; [ "$v" = with ] && flags="$FAST"
  out=$(java $flags -Dfaasm.engine=chicory -cp "$CP" bench/RunBench.java "$BARE" bench/functions/hello 50 "$WORK/cache-$v" 2>/dev/null | head -1)
  R[translate-$v]=$(echo "$out" | sed -n 's/.*load \([0-9]*\) ms.*/\1/p')
  R[call-$v]=$(echo "$out" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
  out=$(java $flags -Dfaasm.engine=chicory -cp "$CP" bench/RunBench.java "$BARE" bench/functions/cpu 6 "$WORK/cache-$v" 2>/dev/null | head -1)
  R[cpu-$v]=$(echo "$out" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
done

echo
row "Maven's JVM" "without" "with $FAST"
row "Maven alone (faasm-python:help), s" "${R[help-without]}" "${R[help-with]}"
row "faasm-python:run hello on wasmtime, end to end, s" "${R[run-wasmtime-without]}" "${R[run-wasmtime-with]}"
row "faasm-python:run hello on the pure-JVM engine, end to end, s" "${R[run-chicory-without]}" "${R[run-chicory-with]}"
row "no-op ./mvnw install -DskipTests, s" "${R[noop-without]}" "${R[noop-with]}"
row "pure-JVM engine: py_func.wasm to bytecode (package), ms" "${R[translate-without]}" "${R[translate-with]}"
row "pure-JVM engine: hello per call, warm, ms (median of 50)" "${R[call-without]}" "${R[call-with]}"
row "pure-JVM engine: CPU-bound call, ms (median of 6)" "${R[cpu-without]}" "${R[cpu-with]}"
