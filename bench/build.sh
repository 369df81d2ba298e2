#!/usr/bin/env bash
# Build benchmarks (issue: CPython build through Maven). Prints figures; asserts nothing.
#
#   bench/build.sh [cold|noop|clone|team|all]
#
#  cold  - a cold reactor build (empty build cache, sources seeded) against the same configure/make
#          commands run by hand; reports the plugin's overhead in percent (target: at most 5 %)
#  noop  - a second './mvnw install' with nothing changed (target: at most 20 s)
#  clone - a fresh clone with a warm cache: no CPython compile (target: at most 60 s)
#
#  team  - one table: a fresh clone with an empty local cache built from scratch, the same with a warm
#          team cache (a loopback nginx WebDAV repository that this checkout's build pushed to), and
#          the same again with the now warm local cache (target: team under 60 s, 6x faster than cold)
#
# Uses the real user cache for sources (read only) and a scratch cache for builds in 'cold' and 'team'.
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
  # the pinned CPython archive (by its sha256 slot) and zlib, both seeded in the source cache
  local sha; sha="$(sed -n 's/^archive\.upstream\.sha256=//p' "$ROOT/third-party/cpython/pin.properties")"
  local py; py="$(find "$CACHE/sources/sha256/$sha" -type f 2>/dev/null | head -1)"
  local zl; zl="$(source_archive 'zlib*')"
  # the WASI sysroot the toolchain step assembles (wasi-libc built from its pin, clang-19's libc++)
  local sys; sys="$(ls -d "$CACHE"/toolchain/wasi-sysroot-* 2>/dev/null | head -1)"
  [ -n "$py" ] && [ -n "$zl" ] && [ -n "$sys" ] || { echo "cold: seed the source cache first (./mvnw install once, or .ci/run)"; return 1; }

  echo "== cold: by hand (same commands as the plugin runs)"
  local t0; t0="$(now)"
  (
    set -e
    cd "$scratch"
    mkdir src zsrc native-build wasm-build -p
    ln -s "$sys" sysroot
    tar xf "$py" -C src --strip-components=1
    tar xf "$zl" -C zsrc --strip-components=1
    touch src/Modules/Setup.local
    cd native-build
    ../src/configure --prefix="$scratch/native" >log 2>&1
    make -j"$JOBS" >>log 2>&1
    make install >>log 2>&1
    cd ../zsrc
    CC="clang-19 --target=wasm32-wasi --sysroot=$scratch/sysroot" AR=llvm-ar-19 RANLIB=llvm-ranlib-19 CHOST=wasm32 \
      ./configure --static --prefix="$scratch/zlib" >log 2>&1
    make -j"$JOBS" libz.a >>log 2>&1 && make install >>log 2>&1
    cd ../wasm-build
    export CC="clang-19 --target=wasm32-wasi --sysroot=$scratch/sysroot" CPP="clang-19 --target=wasm32-wasi --sysroot=$scratch/sysroot -E"
    export CXX="clang++-19 --target=wasm32-wasi --sysroot=$scratch/sysroot" AR=llvm-ar-19 RANLIB=llvm-ranlib-19
    export PKG_CONFIG_LIBDIR="$scratch/zlib/lib/pkgconfig"
    ../src/configure -C --host=wasm32-wasip1 --build="$(../src/config.guess)" \
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

bench_team() {
  local dir; dir="$(mktemp -d)"
  local port; port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir -p "$dir/www" "$dir/body"
  cat > "$dir/nginx.conf" <<CONF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
    location / { dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r; }
  }
}
CONF
  /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" & local nginx=$!
  trap "kill $nginx 2>/dev/null; rm -rf '$dir'" RETURN
  sleep 1
  cat > "$dir/settings.xml" <<XML
<settings><profiles><profile><id>team</id><activation><activeByDefault>true</activeByDefault></activation>
<repositories><repository><id>team</id><url>http://127.0.0.1:$port/cache</url>
<releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots></repository></repositories>
</profile></profiles></settings>
XML
  local modules="faasm-host,faasm-python-maven-plugin,pyfaasm-module,modules-module,cpython-module"
  echo "== team: this checkout pushes its finished builds to a loopback repository"
  (cd "$ROOT" && ./mvnw package -DskipTests -pl "$modules" -Dfaasm.cache.push="team::http://127.0.0.1:$port/cache" >/dev/null)
  du -sh "$dir/www/cache" | awk '{ print "team cache holds " $1 }'
  fresh() { # $1 = name -> a clone with an empty build cache (sources seeded)
    git clone -q "$ROOT" "$dir/$1"
    mkdir -p "$dir/$1-cache/sources" && cp -r "$CACHE/sources/sha256" "$dir/$1-cache/sources/"
  }
  fresh cold; fresh team
  echo "== team: fresh clone, empty local cache, no team cache (./mvnw package -DskipTests)"
  local t0; t0="$(now)"
  (cd "$dir/cold" && MAVEN_ARGS="-B -ntp" ./mvnw package -DskipTests -pl "$modules" -Dfaasm.cacheDirectory="$dir/cold-cache" \
    -Dfaasm.cache.remote=false > "$dir/cold.log")
  local cold; cold="$(secs "$t0" "$(now)")"
  echo "== team: fresh clone, empty local cache, warm team cache"
  t0="$(now)"
  (cd "$dir/team" && MAVEN_ARGS="-B -ntp" ./mvnw -s "$dir/settings.xml" package -DskipTests -pl "$modules" \
    -Dfaasm.cacheDirectory="$dir/team-cache" > "$dir/team.log")
  local team; team="$(secs "$t0" "$(now)")"
  echo "== team: the same clone again (warm local cache)"
  (cd "$dir/team" && rm -rf cpython-module/target modules-module/target pyfaasm-module/target)
  t0="$(now)"
  (cd "$dir/team" && MAVEN_ARGS="-B -ntp" ./mvnw -s "$dir/settings.xml" package -DskipTests -pl "$modules" \
    -Dfaasm.cacheDirectory="$dir/team-cache" > "$dir/warm.log")
  local warm; warm="$(secs "$t0" "$(now)")"
  local same="differ"
  cmp -s "$dir/cold/cpython-module/target/py_func.wasm" "$dir/team/cpython-module/target/py_func.wasm" \
    && cmp -s "$dir/cold/cpython-module/target/cpython-module-0.1.0-SNAPSHOT-sysroot.tar.gz" \
              "$dir/team/cpython-module/target/cpython-module-0.1.0-SNAPSHOT-sysroot.tar.gz" && same="are byte-identical"
  printf '%-52s %8s s\n' "fresh clone, empty caches (cold)" "$cold" \
    "fresh clone, empty local cache, warm team cache" "$team" "fresh clone, warm local cache" "$warm"
  awk -v c="$cold" -v t="$team" 'BEGIN { printf "team cache vs cold: %.1fx faster (target >= 6x, team < 60 s)\n", c / t }'
  echo "taken from the team cache: $(grep -c 'taken from the team cache' "$dir/team.log") entries; configure runs: $(grep -c 'configure done' "$dir/team.log")"
  echo "py_func.wasm and the sysroot archive of the cold and the team-cache builds $same"
}

case "$WHAT" in
  cold) bench_cold ;;
  noop) bench_noop ;;
  clone) bench_clone ;;
  team) bench_team ;;
  all) bench_noop; bench_clone; bench_cold; bench_team ;;
  *) echo "usage: $0 [cold|noop|clone|team|all]" >&2; exit 2 ;;
esac
