#!/usr/bin/env bash
# Conformance: CPython's own regression test suite ('python -m test', from the pinned source) on our
# python.wasm, under the local host's default engine (wasmtime, with the host's own WASI layer) and
# under Node's WASI (node:wasi). Prints passed, failed and skipped test modules for each engine.
#
#   bench/conformance.sh [--python-root DIR] [--source DIR] [--tests 'test_a test_b'] [--engines wasmtime,node]
#                        [--timeout SECONDS] [--out DIR] [--budget SECONDS]
#
#   --python-root  the install: bin/python.wasm and lib/python3.X (default: the reactor's
#                  cpython-module/target/wasm32-wasi)
#   --source       the CPython source tree the install was built from, for Lib/test (default: the
#                  reactor's extracted source, cpython-module/target/faasm-python/src/cpython)
#   --tests        test modules (default: every module 'python -m test --list-tests' gives)
#   --engines      wasmtime (the local host's default engine), chicory (its pure-JVM engine), node
#   --timeout      per module, as CPython's buildbot (--slow-ci: 1200 s); a module stopped at it failed
#   --budget       wall-clock limit per engine: modules not started by then are reported as not run
#   --resume       keep the results in --out and run only the modules without one (after a budget ran
#                  out or a run was stopped); the table counts them all
#   --report       run nothing: the table of the results in --out
#
# Each module runs in a fresh guest, as CPython's WASI buildbot runs each in a worker process, with the
# buildbot's options (make buildbottest = --slow-ci: -u all, --fail-env-changed, --verbose3, timeout
# 1200). The guest sees / (a staged root, read-only on the local host; node:wasi cannot make it
# read-only) whose usr/local is the install plus the test sources the install leaves out (Lib/test and
# the test packages inside the stdlib), and /tmp (a fresh empty directory per module, writable; TMPDIR
# and HOME). CPython's buildbot mounts its checkout at / likewise (regrtest makes its directories with
# os.makedirs, which needs / to exist).
# Logs: <out>/<engine>/<module>.log; results: <out>/<engine>.txt ('<module> <exit code> <seconds>'; 124:
# timeout, -1: trap, -2: the engine crashed after the module's tests ended, its log gives the result). Needs faasm-host compiled
# (./mvnw -o -q -pl faasm-host compile) and, for node, node 20 or newer.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY_ROOT="$ROOT/cpython-module/target/wasm32-wasi"
SOURCE="$ROOT/cpython-module/target/faasm-python/src/cpython"
TESTS=""
ENGINES="wasmtime,node"
TIMEOUT=1200
BUDGET=0
OUT=""
RESUME=0
REPORT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --python-root) PY_ROOT="$2"; shift 2 ;;
    --source) SOURCE="$2"; shift 2 ;;
    --tests) TESTS="$2"; shift 2 ;;
    --engines) ENGINES="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --budget) BUDGET="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --resume) RESUME=1; shift ;;
    --report) RESUME=1; REPORT=1; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
PY_ROOT="$(cd "$PY_ROOT" && pwd)"
WASM="$PY_ROOT/bin/python.wasm"
[ -f "$WASM" ] || { echo "no $WASM: build the reactor first, or give --python-root" >&2; exit 1; }
[ -d "$SOURCE/Lib/test" ] || { echo "no $SOURCE/Lib/test: give --source, the CPython source tree of the build" >&2; exit 1; }
VERSION_DIR="$(cd "$PY_ROOT/lib" && ls -d python3.* | head -1)"
VERSION="$(cat "$PY_ROOT/VERSION" 2>/dev/null || echo "${VERSION_DIR#python}")"
OUT="${OUT:-/tmp/faasm-conformance-$VERSION}"
# regrtest's options: those of 'make buildbottest' (--slow-ci) that a single module in one process takes
OPTIONS="-u all --fail-env-changed --verbose3"

# The guest's /: usr/local is a copy of the install with the test sources it leaves out (a copy, not
# links: node:wasi cannot mount read-only, and a test must not write into the build's tree); tmp is
# where the writable /tmp is mounted.
STAGE="$OUT/root"
if [ $RESUME = 0 ] || [ ! -d "$STAGE/usr/local/lib/$VERSION_DIR" ]; then
rm -rf "$STAGE"
mkdir -p "$STAGE/usr/local/lib" "$STAGE/tmp"
cp -a "$PY_ROOT/lib/$VERSION_DIR" "$STAGE/usr/local/lib/"
(cd "$SOURCE/Lib" && find . -maxdepth 2 -type d \( -name test -o -name tests -o -name idle_test \)) | while read -r d; do
  if [ ! -d "$STAGE/usr/local/lib/$VERSION_DIR/$d" ] && { [ "$(dirname "$d")" = . ] || [ -d "$STAGE/usr/local/lib/$VERSION_DIR/$(dirname "$d")" ]; }; then
    cp -a "$SOURCE/Lib/$d" "$STAGE/usr/local/lib/$VERSION_DIR/$d"
  fi
done
fi

IFS=, read -r -a ENGINE_LIST <<< "$ENGINES"
CP=""
java_engines=0
for e in "${ENGINE_LIST[@]}"; do [ "$e" = node ] || java_engines=1; done
if [ $java_engines = 1 ] && [ $REPORT = 0 ]; then
  CP_FILE="$(mktemp)"
  (cd "$ROOT/faasm-host" && ../mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null)
  [ -d "$ROOT/faasm-host/target/classes/org" ] || { echo "compile faasm-host first: ./mvnw -o -q -pl faasm-host compile" >&2; exit 1; }
  # a copy of the host's classes and of the runner, so that a rebuild during a long run changes nothing
  rm -rf "$OUT/classes" && cp -a "$ROOT/faasm-host/target/classes" "$OUT/classes"
  CP="$(cat "$CP_FILE"):$OUT/classes"
  rm -f "$CP_FILE"
  javac -d "$OUT/classes" -cp "$CP" "$ROOT/bench/Conformance.java"
fi
CACHE="$OUT/code-cache"

# run_engine ENGINE LOGDIR TIMEOUT MODULE... : prints '<module> <exit code> <seconds>' per module
run_engine() {
  local e="$1" logs="$2" timeout="$3"; shift 3
  if [ "$e" = node ]; then
    node --no-warnings "$ROOT/bench/conformance-node.mjs" "$WASM" "$STAGE" "$logs" "$timeout" $OPTIONS -- "$@"
  else
    java -Dfaasm.engine="$e" -cp "$CP" Conformance "$WASM" "$STAGE" "$logs" "$timeout" "$CACHE" $OPTIONS -- "$@"
  fi
}

if [ -z "$TESTS" ] && [ $RESUME = 1 ] && [ -f "$OUT/list/--list-tests.log" ]; then
  TESTS="$(grep -E '^test(_|\.test_)[A-Za-z0-9_.]+$' "$OUT/list/--list-tests.log" | tr '\n' ' ')"
fi
if [ -z "$TESTS" ]; then
  run_engine "${ENGINE_LIST[0]}" "$OUT/list" 600 --list-tests >/dev/null
  # '--list-tests' runs as the module name here: its log holds the list
  # (the test directories regrtest splits, such as test_asyncio, are listed as test.test_asyncio.test_x)
  TESTS="$(grep -E '^test(_|\.test_)[A-Za-z0-9_.]+$' "$OUT/list/--list-tests.log" | tr '\n' ' ')"
fi
read -r -a MODULES <<< "$TESTS"
if [ $REPORT = 1 ]; then echo "CPython $VERSION ($WASM), ${#MODULES[@]} test modules, engines: $ENGINES: the results in $OUT"; else echo "CPython $VERSION ($WASM), ${#MODULES[@]} test modules, engines: $ENGINES, regrtest $OPTIONS, timeout ${TIMEOUT}s per module"; fi

# Each engine runs its modules in batches, so that the budget is checked between batches.
for e in "${ENGINE_LIST[@]}"; do
  [ $REPORT = 0 ] || break
  (
    TODO=("${MODULES[@]}")
    if [ $RESUME = 1 ] && [ -f "$OUT/$e.txt" ]; then
      # keep the modules with a result (lines '<module> <exit code> <seconds>'), run the others
      grep -E '^test[A-Za-z0-9_.]* -?[0-9]+ [0-9.]+$' "$OUT/$e.txt" > "$OUT/$e.kept" || true
      mv "$OUT/$e.kept" "$OUT/$e.txt"
      TODO=()
      for m in "${MODULES[@]}"; do grep -q "^$m " "$OUT/$e.txt" || TODO+=("$m"); done
    else
      rm -rf "$OUT/$e"; : > "$OUT/$e.txt"
    fi
    start=$(date +%s)
    for ((i = 0; i < ${#TODO[@]}; i += 20)); do
      if [ "$BUDGET" -gt 0 ] && [ $(($(date +%s) - start)) -ge "$BUDGET" ]; then
        for m in "${TODO[@]:i}"; do echo "$m notrun 0" >> "$OUT/$e.txt"; done
        break
      fi
      touch "$OUT/$e.batch"
      run_engine "$e" "$OUT/$e" "$TIMEOUT" "${TODO[@]:i:20}" >> "$OUT/$e.txt" 2>> "$OUT/$e.stderr" || true
      # node can crash (a segfault) as a worker ends, after the module's tests finished, taking the rest
      # of its batch along: a module whose log of this batch is complete gets code -2 (its log decides)
      for m in "${TODO[@]:i:20}"; do
        log="$OUT/$e/$m.log"
        if ! grep -q "^$m " "$OUT/$e.txt" && [ "$log" -nt "$OUT/$e.batch" ] && grep -q '^Result: ' "$log"; then
          echo "$m -2 0" >> "$OUT/$e.txt"
        fi
      done
    done
  ) &
done
wait

# classify LOG EXITCODE: passed, skipped, failed (with a short why), or notrun
classify() {
  local log="$1" code="$2"
  if [ "$code" = notrun ]; then echo "notrun -"; return; fi
  if [ "$code" = 124 ]; then echo "failed timeout"; return; fi
  if [ ! -f "$log" ]; then echo "failed no-log"; return; fi
  if grep -qE '^[0-9]+ tests? failed' "$log"; then echo "failed failed"; return; fi
  if grep -qE 'altered the execution environment' "$log"; then echo "failed env-changed"; return; fi
  if grep -qE '^[0-9]+ tests? OK\.' "$log"; then echo "passed -"; return; fi
  if grep -qE '^[0-9]+ tests? skipped|^[0-9]+ tests? run no tests|^[0-9]+ tests? skipped \(resource denied\)' "$log"; then echo "skipped -"; return; fi
  if [ "$code" = -1 ]; then echo "failed crash"; return; fi
  echo "failed exit-$code"
}

# hint LOG: what a failed module's log says first: the test C modules our build leaves out
# (--disable-test-modules), the wasm stack, or its first exception
hint() {
  local log="$1" other
  [ -f "$log" ] || return 0
  if grep -q "wasm call stack" "$log"; then printf 'wasm stack exhausted; '; fi
  if grep -E "(Error|Exception)\b|requires _test" "$log" | grep -qE "_test(capi|internalcapi|buffer|multiphase|singlephase|importmultiple|clinic|limitedcapi|_?module)|_ctypes_test|_xxtestfuzz"; then
    printf 'needs a test C module (_testcapi...); '
  fi
  other="$(grep -E "^[A-Za-z_.]*(Error|Exception|Exit)(:|$)" "$log" | grep -vE "_test(capi|internalcapi|buffer|multiphase|singlephase|importmultiple|clinic|limitedcapi)|_ctypes_test|_xxtestfuzz|requires _test" | sort | uniq -c | sort -rn | head -1 | sed 's/^ *[0-9]* //' | cut -c1-110)"
  [ -z "$other" ] || printf '%s' "$other"
}

declare -A P F S N
for e in "${ENGINE_LIST[@]}"; do
  P[$e]=0; F[$e]=0; S[$e]=0; N[$e]=0
  : > "$OUT/$e.classified"
  while read -r m code secs; do
    read -r what why <<< "$(classify "$OUT/$e/$m.log" "$code")"
    echo "$m $what $why $secs" >> "$OUT/$e.classified"
    case "$what" in passed) P[$e]=$((P[$e] + 1)) ;; failed) F[$e]=$((F[$e] + 1)) ;; skipped) S[$e]=$((S[$e] + 1)) ;; esac
  done < <(grep -E '^test[A-Za-z0-9_.]* (-?[0-9]+ [0-9.]+|notrun 0)$' "$OUT/$e.txt" | awk '!seen[$1]++')
  # modules without a result (the budget ran out, or the run was stopped)
  N[$e]=$((${#MODULES[@]} - P[$e] - F[$e] - S[$e]))
done

echo
echo "| CPython $VERSION, test modules | $(printf '%s | ' "${ENGINE_LIST[@]}")"
echo "| --- |$(printf ' --- |%.0s' "${ENGINE_LIST[@]}")"
for row in passed failed skipped "not run (budget)"; do
  line="| $row |"
  for e in "${ENGINE_LIST[@]}"; do
    case "$row" in passed) v=${P[$e]} ;; failed) v=${F[$e]} ;; skipped) v=${S[$e]} ;; *) v=${N[$e]} ;; esac
    line="$line $v |"
  done
  echo "$line"
done
for e in "${ENGINE_LIST[@]}"; do
  echo
  echo "failed on $e (logs: $OUT/$e/<module>.log):"
  awk '$2 == "failed" { print $1, $3, $4 }' "$OUT/$e.classified" | while read -r m why secs; do
    echo "  $m ($why, $secs s): $(hint "$OUT/$e/$m.log")"
  done
done
