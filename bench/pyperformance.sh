#!/usr/bin/env bash
# Faasm's Python benchmark suite (issue 21, item 2): the pyperformance benchmarks Faasm ran, each a
# Faasm function under bench/functions/pyperformance/<name>/ that runs the installed benchmark's work
# a fixed number of loops and times it inside the call. Each runs on:
#   local   the local host (wasmtime, warm JVM, every call from the zygote snapshot; median of CALLS
#           after one warm-up call)
#   node    Node's node:wasi with the same py_func.wasm (bench/node-host.mjs; median of CALLS + 1 calls in
#           one interpreter, the first included)
#   native  the native build python of the same CPython (bench/native-call.py, CALLS + 1 calls; the sysroot's
#           site-packages on its path, so C extensions there are absent and their packages run
#           their pure-Python code: Genshi, dulwich)
# and one table is printed: ms per benchmark, local/native and local/node, and their geometric means.
# A benchmark that fails somewhere gets its reason in the table.
#   bench/pyperformance.sh [CALLS] [benchmark...]
# Needs a built reactor (./mvnw install) and node. Prints figures; asserts nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SYSROOT="$ROOT/cpython-module/target/faasm-sysroot"
[ -f "$SYSROOT/wasm/python/py_func/function.wasm" ] || { echo "build first: ./mvnw install" >&2; exit 1; }
cd "$ROOT"
CALLS="${1:-3}"
shift || true
BENCHES="${*:-$(ls bench/functions/pyperformance)}"

CP_FILE="$(mktemp)"
(cd faasm-host && ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null)
CP="$(cat "$CP_FILE"):$ROOT/faasm-host/target/classes"
rm -f "$CP_FILE"

# the native build python of the sysroot's CPython version, from the build cache
VERSION="$(sed -n 's/^version=//p' third-party/cpython/pin.properties)"
CACHE="${FAASM_PYTHON_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/faasm-python}"
NATIVE=""
for p in "$CACHE"/builds/native-python/*/bin/python3; do
  if [ -x "$p" ] && [ "$("$p" -c 'import platform; print(platform.python_version())')" = "$VERSION" ]; then NATIVE="$p"; break; fi
done
[ -n "$NATIVE" ] || { echo "no native build python $VERSION in $CACHE/builds/native-python: build first" >&2; exit 1; }
SITE="$(ls -d "$SYSROOT"/runtime_root/lib/python3.*/site-packages)"
command -v node >/dev/null || { echo "node not found" >&2; exit 1; }

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
median_of() { sed -n "s/.*work inside the call: median \([0-9.]*\) ms.*/\1/p" "$1" | head -1; }
reason() { grep -v '^\[\|SLF4J\|^\s*at ' "$1" | grep -i 'error\|failed\|trap\|return code\|no .work' | tail -1 | cut -c1-110; }
declare -A LOCAL NODE NAT WHY
for b in $BENCHES; do
  fn="bench/functions/pyperformance/$b"
  java -Dfaasm.engine=wasmtime -Dbench.warmup=1 -cp "$CP" bench/RunBench.java "$SYSROOT" "$fn" "$CALLS" > "$OUT/$b.local" 2>&1 || true
  node --no-warnings --stack-size=8192 bench/node-host.mjs "$SYSROOT" "$ROOT/$fn" "$((CALLS + 1))" > "$OUT/$b.node" 2>&1 || true
  PYTHONPATH="$SITE" PYTHONDONTWRITEBYTECODE=1 "$NATIVE" bench/native-call.py "$fn" "$((CALLS + 1))" > "$OUT/$b.native" 2>&1 || true
  LOCAL[$b]="$(median_of "$OUT/$b.local")"; NODE[$b]="$(median_of "$OUT/$b.node")"; NAT[$b]="$(median_of "$OUT/$b.native")"
  why=""
  for k in local node native; do
    v="$(median_of "$OUT/$b.$k")"
    [ -n "$v" ] || why="$why $k: $(reason "$OUT/$b.$k");"
  done
  WHY[$b]="$why"
  echo "$b: local ${LOCAL[$b]:--} ms, node ${NODE[$b]:--} ms, native ${NAT[$b]:--} ms${why:+ ($why)}" >&2
done

echo
echo "| benchmark (loops) | local host, wasmtime (ms) | node:wasi (ms) | native $VERSION (ms) | local/native | local/node |"
echo "| --- | --- | --- | --- | --- | --- |"
GN=0; GD=0; N=0; M=0
for b in $BENCHES; do
  loops="$(sed -n 's/^LOOPS = \([0-9]*\)/\1/p' "bench/functions/pyperformance/$b/function.py")"
  l="${LOCAL[$b]}"; n="${NODE[$b]}"; x="${NAT[$b]}"
  rn="-"; rd="-"
  if [ -n "$l" ] && [ -n "$x" ]; then rn="$(awk -v a="$l" -v b="$x" 'BEGIN { printf "%.2f", a / b }')"; GN="$(awk -v g="$GN" -v r="$rn" 'BEGIN { print g + log(r) }')"; N=$((N + 1)); fi
  if [ -n "$l" ] && [ -n "$n" ]; then rd="$(awk -v a="$l" -v b="$n" 'BEGIN { printf "%.2f", a / b }')"; GD="$(awk -v g="$GD" -v r="$rd" 'BEGIN { print g + log(r) }')"; M=$((M + 1)); fi
  echo "| $b ($loops)${WHY[$b]:+ — did not run:${WHY[$b]}} | ${l:--} | ${n:--} | ${x:--} | $rn | $rd |"
done
gn="$( [ "$N" -gt 0 ] && awk -v g="$GN" -v n="$N" 'BEGIN { printf "%.2f", exp(g / n) }' || echo -)"
gd="$( [ "$M" -gt 0 ] && awk -v g="$GD" -v n="$M" 'BEGIN { printf "%.2f", exp(g / n) }' || echo -)"
echo "| geometric mean ($N and $M benchmarks) | | | | $gn (target ≤ 2.0) | $gd (target ≤ 1.0) |"
