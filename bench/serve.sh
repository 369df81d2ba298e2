#!/usr/bin/env bash
# The local Faasm server (faasm-python:serve's LocalFaasm) on wasmtime, 2 workers. Prints figures; asserts nothing.
# The server runs with -Xmx256m: with the default heap (a quarter of the machine) the JVM grows its heap
# lazily, which shows as resident memory growing with calls although nothing is kept.
#   1. hello per call inside a warm host (bench/RunBench.java), the first 200 calls and 200 after 300 more, and the
#      restore from the snapshot beside Faasm's 0.5 ms (ATC '20) (target: median < 5 ms)
#   2. through the server, curl's whole request, 200 sequential calls of hello after 100 (target: median < 10 ms)
#   3. throughput: 8 concurrent clients, 400 calls (calls/s)
#   4. the server's resident memory after 100, 1,000 and 3,000 calls (must not grow with the number of calls)
# Needs a built reactor (./mvnw install) and curl.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SYSROOT="$ROOT/cpython-module/target/faasm-sysroot"
[ -f "$SYSROOT/wasm/python/py_func/function.wasm" ] || { echo "build first: ./mvnw install" >&2; exit 1; }
cd "$ROOT"
CP_FILE="$(mktemp)"
(cd faasm-host && ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null)
CP="$(cat "$CP_FILE"):$ROOT/faasm-host/target/classes"
rm -f "$CP_FILE"
WORK="$(mktemp -d)"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

java -Dfaasm.engine=wasmtime -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/hello 200 2>/dev/null > "$WORK/inside.txt"
INSIDE=$(sed -n "s/.*median \([0-9.]*\) ms.*/\1/p" "$WORK/inside.txt" | head -1)
java -Dbench.warmup=300 -Dfaasm.engine=wasmtime -cp "$CP" bench/RunBench.java "$SYSROOT" bench/functions/hello 200 2>/dev/null > "$WORK/warm.txt"
WARM=$(sed -n "s/.*median \([0-9.]*\) ms.*/\1/p" "$WORK/warm.txt" | head -1)
RESTORE=$(sed -n "s/.*restore from the snapshot.*median \([0-9.]*\) ms.*/\1/p" "$WORK/warm.txt")

java -Xmx256m -Dfaasm.engine=wasmtime -cp "$CP" bench/ServeBench.java "$SYSROOT" bench/functions "$WORK" 600 >/dev/null 2>"$WORK/server.log" &
SERVER=$!
for _ in $(seq 1 600); do [ -f "$WORK/faasm.ini" ] && break; sleep 0.1; done
PORT=$(sed -n 's/^planner_port = //p' "$WORK/faasm.ini")
call() { # $1 = app id
  curl -s -o /dev/null -w '%{time_total}\n' -d "{\"http_type\": \"EXECUTE_BATCH\", \"payload\": \"{\\\"appId\\\": $1, \\\"user\\\": \\\"python\\\", \\\"function\\\": \\\"py_func\\\", \\\"messages\\\": [{\\\"appId\\\": $1, \\\"user\\\": \\\"python\\\", \\\"function\\\": \\\"py_func\\\", \\\"python\\\": true, \\\"py_user\\\": \\\"python\\\", \\\"py_func\\\": \\\"hello\\\"}]}\"}" "http://127.0.0.1:$PORT/"
}
export -f call; export PORT
for i in $(seq 1 99); do call $i >/dev/null; done   # warm up: a server that has been up a while (the JVM compiles its code meanwhile)
for i in $(seq 100 299); do call $i; done | awk '{ printf "%.2f\n", $1 * 1000 }' > "$WORK/seq.txt"
CURL=$(median < "$WORK/seq.txt")
rss() { ps -o rss= -p "$SERVER" | awk '{ printf "%d", $1 / 1024 }'; }
RSS100=$(rss)
s=$(date +%s.%N)
seq 1000 1399 | xargs -P 8 -I{} bash -c 'call {}' > /dev/null
THROUGHPUT=$(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", 400 / (b - a) }')
for i in $(seq 2000 2379); do call $i >/dev/null; done
RSS1000=$(rss)
seq 3000 4999 | xargs -P 8 -I{} bash -c 'call {}' > /dev/null
RSS3000=$(rss)

echo "| local Faasm, hello, wasmtime, 2 cores | this build | Faasm (ATC '20) | target |"
echo "| --- | --- | --- | --- |"
echo "| per call inside a warm host, median of the first 200, ms | $INSIDE | | < 5 |"
echo "| the same after 300 warm-up calls, ms | $WARM | | < 5 |"
echo "| of which the restore from the snapshot (copy-on-write), median, ms | $RESTORE | 0.5 (a Faaslet restored from a snapshot) | |"
echo "| through the server, curl's whole request, median of 200 sequential after 100, ms | $CURL | | < 10 |"
echo "| throughput, 2 workers, 8 concurrent clients, calls/s | $THROUGHPUT | | |"
echo "| server resident memory after 100 / 1,000 / 3,000 calls, MiB | $RSS100 / $RSS1000 / $RSS3000 | | no growth |"
