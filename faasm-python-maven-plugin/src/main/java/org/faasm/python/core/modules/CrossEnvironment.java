package org.faasm.python.core.modules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.faasm.python.core.build.PathMaps;
import org.faasm.python.core.cpython.CPythonBuilder.WasmOutputs;
import org.faasm.python.core.toolchain.Toolchain;
import org.faasm.python.host.FaasmException;

/**
 * What crossenv gives: the native build python runs setuptools, but everything it asks about the
 * target comes from the wasm build. The wasm build's sysconfig data is the only thing on
 * PYTHONPATH and is selected by {@code _PYTHON_SYSCONFIGDATA_NAME}; {@code _PYTHON_HOST_PLATFORM}
 * makes the platform {@code wasi-wasm32}; CC is the WASI toolchain with the wasm build's headers
 * first on the include path; and LDSHARED is a small script that, instead of linking a shared
 * library (WASI has no dynamic loading), archives the extension's objects into a static archive
 * under the extension's usual file name. The entrypoint link picks those archives up.
 */
public final class CrossEnvironment {
    public static final String HOST_PLATFORM = "wasi-wasm32";
    /** The first bytes of an ar archive. */
    static final byte[] AR_MAGIC = "!<arch>\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Map<String, String> env;
    private final String extSuffix;

    private CrossEnvironment(Map<String, String> env, String extSuffix) {
        this.env = env;
        this.extSuffix = extSuffix;
    }

    /** The environment variables for setup.py (null values remove inherited ones). */
    public Map<String, String> variables() {
        return env;
    }

    /** The file name suffix of an extension module, e.g. .cpython-313-wasm32-wasi.so. */
    public String extSuffix() {
        return extSuffix;
    }

    /** An environment that only knows the extension suffix (for checking installed files). */
    static CrossEnvironment forSuffix(String extSuffix) {
        return new CrossEnvironment(Map.of(), extSuffix);
    }

    /** The wasm build's {@code _sysconfigdata_*wasi*.py}: what it reports to a build about the target. */
    static Path sysconfigData(WasmOutputs python) throws IOException {
        try (Stream<Path> s = Files.list(python.stdlib())) {
            return s.filter(p -> p.getFileName().toString().matches("_sysconfigdata_.*wasi.*\\.py")).findFirst()
                    .orElseThrow(() -> new FaasmException("The wasm build has no _sysconfigdata_*wasi*.py in " + python.stdlib(),
                            python.stdlib().toString(), "rebuild CPython for wasm32-wasi (mvn clean install in cpython-module)"));
        }
    }

    public static CrossEnvironment create(Toolchain toolchain, WasmOutputs python, Path dir) {
        try {
            Path sysconfigDir = dir.resolve("sysconfigdata");
            Files.createDirectories(sysconfigDir);
            Path data = sysconfigData(python);
            Files.copy(data, sysconfigDir.resolve(data.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String dataName = data.getFileName().toString().replaceAll("\\.py$", "");
            Path ldshared = dir.resolve("faasm-ldshared");
            Files.writeString(ldshared, ldsharedScript(toolchain.ar()));
            Files.setPosixFilePermissions(ldshared, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path cxx = dir.resolve("faasm-cxx");
            Files.writeString(cxx, cxxScript(toolchain.cxx(), ldshared));
            Files.setPosixFilePermissions(cxx, PosixFilePermissions.fromString("rwxr-xr-x"));

            Map<String, String> env = new LinkedHashMap<>();
            // nothing of the user's Python or pip configuration leaks into the cross build
            for (String k : List.of("PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL",
                    "CPPFLAGS", "LDFLAGS", "CPP", "ARFLAGS", "LDCXXSHARED")) {
                env.put(k, null);
            }
            env.put("PYTHONPATH", sysconfigDir.toString());
            env.put("PYTHONNOUSERSITE", "1");
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            env.put("_PYTHON_SYSCONFIGDATA_NAME", dataName);
            env.put("_PYTHON_HOST_PLATFORM", HOST_PLATFORM);
            env.put("SETUPTOOLS_USE_DISTUTILS", "local");
            env.put("PIP_NO_CACHE_DIR", "1");
            // pip reads no configuration file: the index is the module's <index> or faasm.modules.index
            env.put("PIP_CONFIG_FILE", "/dev/null");
            env.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
            env.put("CC", String.join(" ", toolchain.cc()));
            env.put("CXX", cxx.toString());
            // build-machine paths get fixed names in the objects: the same module gives the same bytes in any checkout
            env.put("CFLAGS", "-O2 -I" + python.includeDir() + " " + PathMaps.cflags(PathMaps.of(python.root(), PathMaps.PYTHON,
                    dir.toAbsolutePath().getParent(), PathMaps.MODULE), toolchain));
            // setuptools compiles C++ sources with CXXFLAGS, not CFLAGS: the same flags, or the build paths leak into them
            env.put("CXXFLAGS", env.get("CFLAGS"));
            env.put("SOURCE_DATE_EPOCH", PathMaps.SOURCE_DATE_EPOCH);
            // a package's setup.py must not see the checkout it is built in as its own git repository
            // (NumPy's records `git log` of its source directory in numpy/version.py)
            env.put("GIT_CEILING_DIRECTORIES", dir.toAbsolutePath().getParent().toString());
            env.put("LDSHARED", ldshared.toString());
            env.put("AR", toolchain.ar().toString());
            return new CrossEnvironment(env, ".cpython-" + python.pythonMajorMinor().replace(".", "") + "-wasm32-wasi.so");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the cross environment in " + dir, e);
        }
    }

    /**
     * CXX for setuptools: compiles C++ with the WASI toolchain; but setuptools links an extension
     * with C++ sources (ujson's) by CXX in place of LDSHARED, so a call without {@code -c} (or
     * {@code -E}, {@code -M}) is that link, and goes to the LDSHARED script.
     */
    static String cxxScript(List<String> cxx, Path ldshared) {
        StringBuilder quoted = new StringBuilder();
        for (String w : cxx) {
            quoted.append(" '").append(w.replace("'", "'\\''")).append('\'');
        }
        return """
                #!/bin/sh
                # faasm-python: C++ for wasm32-wasi; a link (no -c, -E or -M) archives the objects as LDSHARED does
                for a in "$@"; do
                  case "$a" in
                    -c|-E|-M|-MM|--version|-v|-dumpversion|-dumpmachine) exec%1$s "$@" ;;
                  esac
                done
                for a in "$@"; do
                  case "$a" in
                    *.o|*.obj) exec "%2$s" "$@" ;;
                  esac
                done
                exec%1$s "$@"
                """.formatted(quoted, ldshared);
    }

    /**
     * LDSHARED for setuptools: archives the object files given and ignores the link flags; a static
     * library named with {@code -l} and found in a {@code -L} directory (NumPy's npymath, for one) is
     * added member by member, as the shared library would have contained it.
     */
    static String ldsharedScript(Path ar) {
        return """
                #!/bin/sh
                # faasm-python: WASI has no shared libraries, so a C extension becomes a static archive of
                # its wasm objects (under the extension's usual name); py_func.wasm links it in.
                out=""
                objs=""
                dirs=""
                libs=""
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -o) out="$2"; shift 2; continue ;;
                    -L) dirs="$dirs $2"; shift 2; continue ;;
                    -L*) dirs="$dirs ${1#-L}" ;;
                    -l) libs="$libs $2"; shift 2; continue ;;
                    -l*) libs="$libs ${1#-l}" ;;
                    *.o|*.obj) objs="$objs $1" ;;
                  esac
                  shift
                done
                if [ -z "$out" ] || [ -z "$objs" ]; then
                  echo "faasm-ldshared: expected object files and -o <output>, got: $*" >&2
                  exit 2
                fi
                rm -f "$out"
                "%1$s" rcs "$out" $objs || exit 1
                for l in $libs; do
                  for d in $dirs; do
                    if [ -f "$d/lib$l.a" ]; then
                      "%1$s" qLs "$out" "$d/lib$l.a" || exit 1
                      break
                    fi
                  done
                done
                """.formatted(ar);
    }
}
