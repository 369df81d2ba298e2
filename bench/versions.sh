#!/usr/bin/env bash
# Two CPython pins side by side, in one run (issue 18, item 8): the current checkout and an older
# revision (by default the last one that pinned CPython 3.11.2), each built in its own checkout,
# then for each: the build's wall time (./mvnw package: nothing is installed into ~/.m2), py_func.wasm and sysroot sizes, hello per call from the
# snapshot, the CPU-bound function and the NumPy-heavy call (wasmtime, warm JVM), and that call step
# by step inside it (bench/functions/numpy_steps: first uses apart from arithmetic).
#
#   bench/versions.sh [--cold] [--old <rev>] [--clang-old N] [--before-old CMD] [--before-new CMD]
#
#   --cold       each build starts from an empty build cache of its own (a cold ./mvnw install,
#                sources still seeded from the user cache); without it the builds reuse the cache
#   --old        the older revision (default: the commit before the one that left 3.11.2)
#   --clang-old  -Dfaasm.toolchain.clangVersion for the older revision (3.11.2 was built with 16)
#   --before-old, --before-new  a command run before measuring each (the two toolchains' libc++ for
#                wasm32 are Debian packages that conflict: e.g. --before-old 'apt-get install -y -q
#                libc++-16-dev-wasm32 libc++abi-16-dev-wasm32' and the same with 19 for --before-new)
# Prints figures; asserts nothing. Needs what ./mvnw install needs for both revisions.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
COLD=0
OLD=""
CLANG_OLD=""
BEFORE_OLD=""
BEFORE_NEW=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cold) COLD=1; shift ;;
    --old) OLD="$2"; shift 2 ;;
    --clang-old) CLANG_OLD="$2"; shift 2 ;;
    --before-old) BEFORE_OLD="$2"; shift 2 ;;
    --before-new) BEFORE_NEW="$2"; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
if [ -z "$OLD" ]; then
  LEFT="$(git log -1 --format=%H -S'version=3.11.2' -- third-party/cpython/pin.properties)"
  [ -n "$LEFT" ] || { echo "no commit pinned 3.11.2: give --old <rev>" >&2; exit 2; }
  OLD="$LEFT^"
fi
WORK="$ROOT/target/bench-versions"
mkdir -p "$WORK"
USER_CACHE="${FAASM_PYTHON_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/faasm-python}"

checkout() { # label rev -> directory
  local dir="$WORK/$1"
  if [ "$2" = current ]; then echo "$ROOT"; return; fi
  git worktree remove --force "$dir" >/dev/null 2>&1 || rm -rf "$dir"
  git worktree add --detach "$dir" "$2" >/dev/null 2>&1
  echo "$dir"
}

declare -A VERSION BUILD WASM SYSROOT HELLO CPU NUMPY
measure() { # label directory extra-maven-args
  local label="$1" dir="$2" extra="$3"
  local cache="$USER_CACHE"
  if [ "$COLD" = 1 ]; then
    cache="$WORK/cache-$label"
    rm -rf "$cache"
    mkdir -p "$cache"
    cp -r "$USER_CACHE/sources" "$cache/" 2>/dev/null || true
  fi
  VERSION[$label]="$(sed -n 's/^version=//p' "$dir/third-party/cpython/pin.properties")"
  echo "== $label: CPython ${VERSION[$label]} ($(git -C "$dir" rev-parse --short HEAD)), ./mvnw package -DskipTests"
  local s
  s=$(date +%s)
  (cd "$dir" && FAASM_PYTHON_CACHE="$cache" ./mvnw -B -q package -DskipTests $extra >"$WORK/build-$label.log" 2>&1) \
    || { echo "build failed: $WORK/build-$label.log" >&2; exit 1; }
  BUILD[$label]=$(( $(date +%s) - s ))
  local sys="$dir/cpython-module/target/faasm-sysroot"
  WASM[$label]=$(awk -v b="$(stat -c %s "$sys/wasm/python/py_func/function.wasm")" 'BEGIN { printf "%.1f", b / 1e6 }')
  SYSROOT[$label]=$(awk -v b="$(stat -c %s "$(ls "$dir"/cpython-module/target/*-sysroot.tar.gz | head -1)")" 'BEGIN { printf "%.1f", b / 1e6 }')
  local cpf cp
  cpf="$(mktemp)"
  (cd "$dir/faasm-host" && ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$cpf" -Dmdep.includeScope=runtime >/dev/null)
  cp="$(cat "$cpf"):$dir/faasm-host/target/classes"
  rm -f "$cpf"
  # each checkout's own harness, host and sysroot
  HELLO[$label]=$(java -cp "$cp" "$dir/bench/RunBench.java" "$sys" "$dir/bench/functions/hello" 200 2>/dev/null \
    | sed -n "s/.*median \([0-9.]*\) ms.*/\1/p" | head -1)
  CPU[$label]=$(java -cp "$cp" "$dir/bench/RunBench.java" "$sys" "$dir/bench/functions/cpu" 12 2>/dev/null \
    | sed -n "s/.*work inside the call: median \([0-9.]*\) ms.*/\1/p" | head -1)
  NUMPY[$label]=$(java -cp "$cp" "$dir/bench/RunBench.java" "$sys" "$dir/bench/functions/numpy_heavy" 8 "" numpy 2>/dev/null \
    | sed -n "s/.*median \([0-9.]*\) ms.*/\1/p" | head -1)
  # the NumPy-heavy call step by step (this checkout's function, each side's host and sysroot): the
  # last of 5 calls, one "<step>: <ms> ms" per line
  java -cp "$cp" "$dir/bench/RunBench.java" "$sys" "$ROOT/bench/functions/numpy_steps" 5 "" numpy 2>/dev/null \
    | sed -n '/output /,/^numpy_steps: restore/p' | sed -e 's/.*output //' -e '/^numpy_steps: restore/d' >"$WORK/steps-$label.txt"
}

OLD_DIR="$(checkout old "$OLD")"
[ -z "$BEFORE_OLD" ] || bash -c "$BEFORE_OLD" >"$WORK/before-old.log" 2>&1
measure old "$OLD_DIR" "${CLANG_OLD:+-Dfaasm.toolchain.clangVersion=$CLANG_OLD}"
[ -z "$BEFORE_NEW" ] || bash -c "$BEFORE_NEW" >"$WORK/before-new.log" 2>&1
measure new "$ROOT" ""

echo
echo "| wasmtime, warm JVM | CPython ${VERSION[old]} | CPython ${VERSION[new]} |"
echo "| --- | --- | --- |"
echo "| ./mvnw package -DskipTests ($([ "$COLD" = 1 ] && echo cold || echo "warm cache"), s) | ${BUILD[old]} | ${BUILD[new]} |"
echo "| py_func.wasm (MB) | ${WASM[old]} | ${WASM[new]} |"
echo "| sysroot archive (MB) | ${SYSROOT[old]} | ${SYSROOT[new]} |"
echo "| hello, per call from the snapshot (ms, median of 200) | ${HELLO[old]} | ${HELLO[new]} |"
echo "| CPU-bound function, work inside the call (ms, median of 12) | ${CPU[old]} | ${CPU[new]} |"
echo "| NumPy-heavy call, numpy preloaded (ms, median of 8) | ${NUMPY[old]} | ${NUMPY[new]} |"
echo
echo "| NumPy-heavy call, step by step inside the call (ms) | CPython ${VERSION[old]} | CPython ${VERSION[new]} |"
echo "| --- | --- | --- |"
paste -d'|' <(sed 's/: \([0-9.]*\) ms$//' "$WORK/steps-new.txt") <(sed 's/.*: \([0-9.]*\) ms$/\1/' "$WORK/steps-old.txt") \
  <(sed 's/.*: \([0-9.]*\) ms$/\1/' "$WORK/steps-new.txt") | sed 's/^/| /; s/|/ | /g; s/$/ |/'
git worktree remove --force "$OLD_DIR" >/dev/null 2>&1 || true
