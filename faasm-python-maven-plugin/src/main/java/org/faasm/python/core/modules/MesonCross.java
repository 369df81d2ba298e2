package org.faasm.python.core.modules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.faasm.python.core.build.PathMaps;
import org.faasm.python.core.cpython.CPythonBuilder.WasmOutputs;
import org.faasm.python.core.toolchain.Toolchain;

/**
 * A meson cross file for wasm32-wasi, for modules built by meson-python. What {@link
 * CrossEnvironment} does for setuptools, done the meson way:
 *
 * <ul>
 *   <li>{@code c}/{@code cpp}: the WASI clang, except that a {@code -shared} link (meson's
 *       {@code py.extension_module}) writes a static archive of every object and every static
 *       library member on the command line under the extension's usual name, as {@code
 *       faasm-ldshared} does: WASI has no dynamic loading, the entrypoint links the archive;
 *   <li>{@code python}: the native build python reporting the wasm build's sysconfig (its prefix
 *       moved to where the wasm build lies, so its include directory is the wasm one);
 *   <li>{@code bin/cython} (a build-machine tool, which meson looks for on PATH): Cython from the
 *       module's build requirements, run by the build python;
 *   <li>the host machine {@code wasi}/{@code wasm32}; {@code needs_exe_wrapper}: nothing built runs
 *       on the build machine; long double is IEEE quad, as clang's wasm32 ABI has it;
 *   <li>each C library of the module as the properties {@code <name>_includedir} and
 *       {@code <name>_librarydir}, where meson's BLAS and LAPACK dependencies look first
 *       ({@code openblas_includedir}, NumPy's {@code -Dblas=openblas}).
 * </ul>
 */
final class MesonCross {
    static final String FILE = "wasm32-wasi.cross";
    /** The directory of the build-machine tools, for the front of PATH. */
    static final String BIN = "bin";

    private MesonCross() {}

    /**
     * Writes the cross file and its helper scripts into {@code dir}.
     *
     * @param pathMaps the directories that get fixed names in the objects (as CFLAGS has them for setuptools)
     * @param cLibraries the module's C libraries by name: each one's installation (include/, lib/)
     * @return the cross file
     */
    static Path write(Toolchain toolchain, WasmOutputs python, Path nativePython, Map<Path, String> pathMaps, Map<String, Path> cLibraries,
            Path dir) {
        try {
            Files.createDirectories(dir);
            Path hostPython = dir.resolve("host-python");
            Files.createDirectories(hostPython);
            Path data = CrossEnvironment.sysconfigData(python);
            String root = python.root().toAbsolutePath().normalize().toString();
            // the wasm build is configured for /usr/local and lies in the build cache
            Files.writeString(hostPython.resolve(data.getFileName()), Files.readString(data).replace("'/usr/local", "'" + root)
                    .replace(" /usr/local", " " + root));
            Files.writeString(hostPython.resolve("sitecustomize.py"), "import sys\n"
                    + "sys.prefix = sys.exec_prefix = sys.base_prefix = sys.base_exec_prefix = " + pyString(root) + "\n");
            String dataName = data.getFileName().toString().replaceAll("\\.py$", "");

            Path arLink = dir.resolve("faasm_ar_link.py");
            Files.writeString(arLink, AR_LINK);
            script(dir.resolve("faasm-cc"), compiler(toolchain.cc(), nativePython, arLink, toolchain.ar()));
            script(dir.resolve("faasm-c++"), compiler(toolchain.cxx(), nativePython, arLink, toolchain.ar()));
            script(dir.resolve("python-wasi"), String.join("\n",
                    "#!/bin/sh",
                    "# faasm-python: the build python, answering for the wasm32-wasi CPython (sysconfig, include directory)",
                    "PYTHONPATH=" + sh(hostPython.toString()) + "${PYTHONPATH:+:$PYTHONPATH}",
                    "_PYTHON_SYSCONFIGDATA_NAME=" + dataName,
                    "_PYTHON_HOST_PLATFORM=" + CrossEnvironment.HOST_PLATFORM,
                    "export PYTHONPATH _PYTHON_SYSCONFIGDATA_NAME _PYTHON_HOST_PLATFORM",
                    "exec " + sh(nativePython.toString()) + " \"$@\"", ""));
            cythonScript(dir.resolve(BIN), nativePython);

            List<String> args = PathMaps.flags(pathMaps, toolchain);
            List<String> libraries = new ArrayList<>();
            cLibraries.forEach((name, prefix) -> {
                String key = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
                libraries.add(key + "_includedir = " + pyString(prefix.resolve("include").toString()));
                libraries.add(key + "_librarydir = " + pyString(prefix.resolve("lib").toString()));
            });
            String cross = String.join("\n",
                    "# faasm-python: meson cross file for wasm32-wasi (WASI preview 1)",
                    "[binaries]",
                    "c = " + pyString(dir.resolve("faasm-cc").toString()),
                    "cpp = " + pyString(dir.resolve("faasm-c++").toString()),
                    "ar = " + pyString(toolchain.ar().toString()),
                    "ranlib = " + pyString(toolchain.ranlib().toString()),
                    "python = " + pyString(dir.resolve("python-wasi").toString()),
                    "python3 = " + pyString(dir.resolve("python-wasi").toString()),
                    "",
                    "[properties]",
                    "needs_exe_wrapper = true",
                    "longdouble_format = 'IEEE_QUAD_LE'",
                    String.join("\n", libraries),
                    "",
                    "[built-in options]",
                    "c_args = " + pyList(args),
                    "cpp_args = " + pyList(args),
                    "",
                    "[host_machine]",
                    "system = 'wasi'",
                    "cpu_family = 'wasm32'",
                    "cpu = 'wasm32'",
                    "endian = 'little'",
                    "");
            Path file = dir.resolve(FILE);
            Files.writeString(file, cross);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the meson cross file in " + dir, e);
        }
    }

    /**
     * Writes {@code bin/cython}: Cython of the build requirements (on PYTHONPATH), run by the build
     * python. Meson looks for Cython, a build-machine tool, on PATH, whether or not it cross-builds.
     */
    static void cythonScript(Path bin, Path nativePython) throws IOException {
        Files.createDirectories(bin);
        script(bin.resolve("cython"), String.join("\n",
                "#!/bin/sh",
                "# faasm-python: Cython of the build requirements, run by the build python",
                "exec " + sh(nativePython.toString())
                        + " -c 'import sys; from Cython.Compiler.Main import setuptools_main; sys.exit(setuptools_main())' \"$@\"", ""));
    }

    private static String compiler(List<String> driver, Path nativePython, Path arLink, Path ar) {
        return String.join("\n",
                "#!/bin/sh",
                "# faasm-python: the WASI compiler for meson; a -shared link becomes a static archive (WASI has no",
                "# dynamic loading: py_func.wasm links the archive in)",
                "for a in \"$@\"; do",
                "  if [ \"$a\" = -shared ]; then",
                "    exec " + sh(nativePython.toString()) + " -I " + sh(arLink.toString()) + " " + sh(ar.toString()) + " \"$@\"",
                "  fi",
                "done",
                "exec " + driver.stream().map(MesonCross::sh).collect(Collectors.joining(" ")) + " \"$@\"", "");
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static String sh(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String pyString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String pyList(List<String> items) {
        List<String> quoted = new ArrayList<>();
        items.forEach(i -> quoted.add(pyString(i)));
        return "[" + String.join(", ", quoted) + "]";
    }

    /**
     * The {@code -shared} link: argv[1] is llvm-ar, the rest the link command line. The archive
     * holds the objects and every member of the static libraries given (a thin archive, as meson
     * makes them, is expanded to its member files), written with an MRI script, which keeps
     * members of the same name apart.
     */
    static final String AR_LINK = """
            import os, subprocess, sys
            ar, args = sys.argv[1], sys.argv[2:]
            out, objs, libs, skip = None, [], [], False
            for i, a in enumerate(args):
                if skip:
                    skip = False
                    continue
                if a == '-o':
                    out = args[i + 1]
                    skip = True
                elif a in ('-L', '-l', '-Xlinker', '--sysroot', '-target'):
                    skip = True
                elif a.startswith('-Wl,'):
                    libs += [w for w in a[4:].split(',') if w.endswith('.a') and os.path.isfile(w)]
                elif a.startswith('-'):
                    pass
                elif a.endswith(('.o', '.obj')) and os.path.isfile(a):
                    objs.append(a)
                elif a.endswith('.a') and os.path.isfile(a):
                    libs.append(a)
            if out is None or not (objs or libs):
                sys.exit('faasm-cc: a -shared link needs object files and -o <output>, got: ' + ' '.join(args))
            if os.path.exists(out):
                os.remove(out)
            mri = ['create ' + os.path.abspath(out)] + ['addmod ' + os.path.abspath(o) for o in objs]
            for lib in libs:
                with open(lib, 'rb') as f:
                    thin = f.read(8) == b'!<thin>\\n'
                if not thin:
                    mri.append('addlib ' + os.path.abspath(lib))
                    continue
                for n in subprocess.run([ar, 't', lib], capture_output=True, text=True, check=True).stdout.split():
                    member = n if os.path.isabs(n) else os.path.join(os.path.dirname(os.path.abspath(lib)), n)
                    mri.append('addmod ' + (member if os.path.isfile(member) else os.path.abspath(n)))
            subprocess.run([ar, '-M'], input='\\n'.join(mri + ['save', 'end']) + '\\n', text=True, check=True)
            subprocess.run([ar, 's', out], check=True)
            """;
}
