#!/usr/bin/env bash
# Start-up with and without precompiled .pyc (issue: third-party modules). Prints figures; asserts nothing.
# Every call starts from the zygote snapshot, so a function's imports are paid on every call: the
# figure that matters is the per-call time of a function importing six, pyaes and Genshi.
# The "without" sysroot is the built one minus every __pycache__ directory, which is exactly what
# -Dfaasm.precompile=false produces. Needs a built reactor (./mvnw install).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SYSROOT="$ROOT/cpython-module/target/faasm-sysroot"
[ -f "$SYSROOT/wasm/python/py_func/function.wasm" ] || { echo "build first: ./mvnw install" >&2; exit 1; }
CALLS="${1:-20}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"

cp -a "$SYSROOT" "$WORK/sysroot-nopyc"
find "$WORK/sysroot-nopyc/runtime_root" -name __pycache__ -type d -prune -exec rm -rf {} +
echo ".pyc files: with $(find "$SYSROOT/runtime_root" -name '*.pyc' | wc -l), without $(find "$WORK/sysroot-nopyc/runtime_root" -name '*.pyc' | wc -l)"

CP_FILE="$WORK/cp"
(cd faasm-host && ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null)
CP="$(cat "$CP_FILE"):$ROOT/faasm-host/target/classes"

for variant in with without; do
  dir="$SYSROOT"; [ "$variant" = without ] && dir="$WORK/sysroot-nopyc"
  for fn in hello modules; do
    # a fresh zygote cache: the zygote (interpreter start) is measured, not restored from disk
    printf '%-8s precompiled .pyc, ' "$variant"
    java -cp "$CP" bench/RunBench.java "$dir" "bench/functions/$fn" "$CALLS" "$WORK/cache-$variant-$fn" 2>/dev/null
  done
done
