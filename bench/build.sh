#!/usr/bin/env bash
# Build benchmarks (issue: CPython build through Maven). Prints figures; asserts nothing.
#
#   bench/build.sh [cold|noop|clone|all]
#
#  cold  - a cold reactor build (empty build cache, sources seeded) against the same configure/make
#          commands run by hand; reports the plugin's overhead in percent (target: at most 5 %)
#  noop  - a second './mvnw install' with nothing changed (target: at most 20 s)
#  clone - a fresh clone with a warm cache: no CPython compile (target: at most 60 s)
#
# Uses the real user cache for sources (read only) and a scratch cache for builds in 'cold'.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WHAT="${1:-all}"
CACHE="${FAASM_PYTHON_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/faasm-python}"
JOBS="$(nproc)"
export MAVEN_ARGS="${MAVEN_ARGS:-} -B -ntp -q"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

source_archive() { # name-glob -> a cached, pinned archive
  find "$CACHE/sources/sha256" -type f -name "$1" | head -1
}

bench_cold() {
  local scratch; scratch="$(mktemp -d)"
  local py; py="$(source_archive 'Python-3.11.2.tgz')"; [ -n "$py" ] || py="$(source_archive 'python3.11_3.11.2.orig.tar.gz')"
  local zl; zl="$(source_archive 'zlib*')"
  [ -n "$py" ] && [ -n "$zl" ] || { echo "cold: seed the source cache first (./mvnw install once, or .ci/run)"; return 1; }

  echo "== cold: by hand (same commands as the plugin runs)"
  local t0; t0="$(now)"
  (
    set -e
    cd "$scratch"
    mkdir src zsrc native-build wasm-build sysroot/include sysroot/lib -p
    tar xzf "$py" -C src --strip-components=1
    tar xf "$zl" -C zsrc --strip-components=1
    touch src/Modules/Setup.local
    ln -s /usr/include/wasm32-wasi sysroot/include/wasm32-wasi
    ln -s /usr/lib/wasm32-wasi sysroot/lib/wasm32-wasi
    cd native-build
    ../src/configure --prefix="$scratch/native" >log 2>&1
    make -j"$JOBS" >>log 2>&1
    make install >>log 2>&1
    cd ../zsrc
    CC="clang-16 --target=wasm32-wasi --sysroot=$scratch/sysroot" AR=llvm-ar-16 RANLIB=llvm-ranlib-16 CHOST=wasm32 \
      ./configure --static --prefix="$scratch/zlib" >log 2>&1
    make -j"$JOBS" libz.a >>log 2>&1 && make install >>log 2>&1
    cd ../wasm-build
    export CC="clang-16 --target=wasm32-wasi --sysroot=$scratch/sysroot" CPP="clang-16 --target=wasm32-wasi --sysroot=$scratch/sysroot -E"
    export CXX="clang++-16 --target=wasm32-wasi --sysroot=$scratch/sysroot" AR=llvm-ar-16 RANLIB=llvm-ranlib-16
    export PKG_CONFIG_LIBDIR="$scratch/zlib/lib/pkgconfig"
    ../src/configure -C --host=wasm32-unknown-wasi --build="$(../src/config.guess)" \
      --with-build-python="$scratch/native/bin/python3" --prefix=/usr/local --disable-ipv6 --disable-test-modules \
      CONFIG_SITE="$scratch/src/Tools/wasm/config.site-wasm32-wasi" CFLAGS=-Wno-error=int-conversion \
      CPPFLAGS="-I$scratch/zlib/include" LDFLAGS="-L$scratch/zlib/lib" >log 2>&1
    make -j"$JOBS" >>log 2>&1
    make install DESTDIR="$scratch/install" >>log 2>&1
  )
  local hand; hand="$(secs "$t0" "$(now)")"
  rm -rf "$scratch"; mkdir -p "$scratch/sources"
  cp -r "$CACHE/sources/sha256" "$scratch/sources/"

  echo "== cold: ./mvnw compile (toolchain, sources, native python, wasm build, module set) with an empty build cache"
  (cd "$ROOT" && rm -rf cpython-module/target pyfaasm-module/target modules-module/target)
  t0="$(now)"
  (cd "$ROOT" && MAVEN_ARGS="-B -ntp" ./mvnw compile -Dfaasm.cacheDirectory="$scratch" > "$scratch/compile.log")
  local mvn; mvn="$(secs "$t0" "$(now)")"
  # the plugin logs how long each configure/make/install step took: what is left is the plugin's
  # own cost (Maven start-up, extraction, caching, copying), free of the machine's run-to-run noise
  local steps; steps="$(grep -o 'done in [0-9.]* s' "$scratch/compile.log" | awk '{ s += $3 } END { printf "%.1f", s }')"
  echo "== then: ./mvnw install -DskipTests (entrypoint link, wasm-opt, sysroot, bytecode, archives)"
  t0="$(now)"
  (cd "$ROOT" && ./mvnw install -DskipTests -Dfaasm.cacheDirectory="$scratch" >/dev/null)
  local pkg; pkg="$(secs "$t0" "$(now)")"
  rm -rf "$scratch"
  (cd "$ROOT" && rm -rf cpython-module/target pyfaasm-module/target modules-module/target)
  echo "cold by hand:            ${hand} s (configure + make + install of native python, zlib, wasm CPython)"
  echo "cold ./mvnw compile:     ${mvn} s (the same work through the reactor, incl. Maven start-up and caching)"
  awk -v h="$hand" -v m="$mvn" 'BEGIN { printf "vs by hand:              %+.1f %% (this machine varies by about 15 %% from run to run)\n", (m - h) * 100 / h }'
  echo "inside the build steps:  ${steps} s (configure, make, install as the plugin ran them)"
  awk -v s="$steps" -v m="$mvn" 'BEGIN { printf "plugin overhead:         %.1f s = %.1f %% of the build steps (target <= 5 %%)\n", m - s, (m - s) * 100 / s }'
  echo "packaging on top:        ${pkg} s (./mvnw install -DskipTests after that compile)"
}

bench_noop() {
  echo "== noop: ./mvnw install twice, the second with nothing changed"
  (cd "$ROOT" && ./mvnw install >/dev/null)
  local t0; t0="$(now)"
  (cd "$ROOT" && ./mvnw install >/dev/null)
  echo "no-op ./mvnw install:   $(secs "$t0" "$(now)") s (target <= 20 s; includes the unit and runtime tests)"
  t0="$(now)"
  (cd "$ROOT" && ./mvnw install -DskipTests >/dev/null)
  echo "no-op, -DskipTests:     $(secs "$t0" "$(now)") s"
}

bench_clone() {
  echo "== clone: fresh clone, warm cache"
  local dir; dir="$(mktemp -d)"
  git clone -q "$ROOT" "$dir/faasm-python"
  local t0; t0="$(now)"
  (cd "$dir/faasm-python" && MAVEN_ARGS="-B -ntp" ./mvnw install > "$dir/log")
  echo "fresh clone install:    $(secs "$t0" "$(now)") s (target <= 60 s; includes the tests)"
  if grep -q "wasm: make" "$dir/log"; then echo "  (it compiled CPython: the cache was cold)"; else echo "  (no CPython compile)"; fi
  rm -rf "$dir"
}

case "$WHAT" in
  cold) bench_cold ;;
  noop) bench_noop ;;
  clone) bench_clone ;;
  all) bench_noop; bench_clone; bench_cold ;;
  *) echo "usage: $0 [cold|noop|clone|all]" >&2; exit 2 ;;
esac
