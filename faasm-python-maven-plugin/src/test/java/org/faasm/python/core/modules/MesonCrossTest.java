package org.faasm.python.core.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.faasm.python.core.build.PathMaps;
import org.faasm.python.core.cpython.CPythonBuilder.WasmOutputs;
import org.faasm.python.core.toolchain.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MesonCrossTest {
    @TempDir
    Path tmp;

    private WasmOutputs wasmBuild() throws Exception {
        Path root = tmp.resolve("wasm");
        Path stdlib = root.resolve("lib/python3.13");
        Files.createDirectories(stdlib);
        Files.writeString(stdlib.resolve("_sysconfigdata__wasi_wasm32-wasi.py"),
                "build_time_vars = {'INCLUDEPY': '/usr/local/include/python3.13', 'LIBDIR': '/usr/local/lib', 'EXT_SUFFIX': '.cpython-313-wasm32-wasi.so'}\n");
        return new WasmOutputs(root, "k", "3.13.15", false);
    }

    private Toolchain toolchain() {
        return new Toolchain("debian", Path.of("/usr/bin/clang-19"), Path.of("/usr/bin/clang++-19"), Path.of("/usr/bin/llvm-ar-19"),
                Path.of("/usr/bin/llvm-ranlib-19"), Path.of("/usr/bin/wasm-ld-19"), tmp.resolve("sysroot"), "clang 19", "f", null,
                Path.of("/usr/bin/gcc"), Path.of("/usr/bin/make"));
    }

    @Test
    void theCrossFileDescribesWasiAndNamesTheWrappers() throws Exception {
        WasmOutputs wasm = wasmBuild();
        Path cross = MesonCross.write(toolchain(), wasm, Path.of("/native/bin/python3"), PathMaps.of(tmp, PathMaps.MODULE),
                java.util.Map.of("OpenBLAS", tmp.resolve("c-libraries/OpenBLAS")), tmp.resolve("mc"));

        String text = Files.readString(cross);
        for (String line : List.of("system = 'wasi'", "cpu_family = 'wasm32'", "needs_exe_wrapper = true",
                "longdouble_format = 'IEEE_QUAD_LE'", "c = '" + tmp.resolve("mc/faasm-cc") + "'", "ar = '/usr/bin/llvm-ar-19'",
                "python = '" + tmp.resolve("mc/python-wasi") + "'",
                // where meson's BLAS dependency looks first (NumPy's -Dblas=openblas)
                "openblas_includedir = '" + tmp.resolve("c-libraries/OpenBLAS/include") + "'",
                "openblas_librarydir = '" + tmp.resolve("c-libraries/OpenBLAS/lib") + "'")) {
            assertTrue(text.contains(line + "\n"), line + " in\n" + text);
        }
        assertTrue(text.contains("-ffile-prefix-map=" + tmp + "=" + PathMaps.MODULE), text);
        for (String script : List.of("faasm-cc", "faasm-c++", "python-wasi", "bin/cython")) {
            assertTrue(Files.isExecutable(tmp.resolve("mc").resolve(script)), script);
        }
        String cc = Files.readString(tmp.resolve("mc/faasm-cc"));
        assertTrue(cc.contains("'/usr/bin/clang-19' '--target=wasm32-wasi' '--sysroot=" + tmp.resolve("sysroot") + "' \"$@\""), cc);
        assertTrue(cc.contains("faasm_ar_link.py"), "a -shared link goes to the archiver:\n" + cc);
    }

    @Test
    void theBuildPythonAnswersWithTheWasmBuildsPrefix() throws Exception {
        WasmOutputs wasm = wasmBuild();
        MesonCross.write(toolchain(), wasm, Path.of("/native/bin/python3"), PathMaps.of(tmp, PathMaps.MODULE), java.util.Map.of(),
                tmp.resolve("mc"));

        String data = Files.readString(tmp.resolve("mc/host-python/_sysconfigdata__wasi_wasm32-wasi.py"));
        assertTrue(data.contains("'INCLUDEPY': '" + wasm.root().toAbsolutePath() + "/include/python3.13'"), data);
        assertEquals(-1, data.indexOf("/usr/local"), data);
        String python = Files.readString(tmp.resolve("mc/python-wasi"));
        assertTrue(python.contains("_PYTHON_SYSCONFIGDATA_NAME=_sysconfigdata__wasi_wasm32-wasi"), python);
        assertTrue(python.contains("exec '/native/bin/python3' \"$@\""), python);
    }
}
