package org.faasm.python.core.sysroot;

import java.nio.file.Path;
import org.faasm.python.host.keyed.KeyedOutput;

/**
 * The one place that names the parts of a sysroot, laid out as Faasm images use it:
 *
 * <pre>
 * llvm-sysroot/lib/wasm32-wasi/libpythonX.Y.a (+ libz.a, libmpdec.a, libexpat.a, C extensions)
 * llvm-sysroot/include/wasm32-wasi/pythonX.Y/   (with pyconfig.h)
 * runtime_root/lib/pythonX.Y/**                 (standard library, site-packages)
 * wasm/python/py_func/function.wasm             (the entrypoint)
 * </pre>
 *
 * A sysroot directory built or unpacked by the plugin also holds the stamp of what it was made
 * from ({@link #STAMP}), which is never archived.
 */
public final class SysrootLayout {
    public static final String TRIPLE = "wasm32-wasi";
    public static final String RUNTIME_ROOT = "runtime_root";
    public static final String LLVM_SYSROOT = "llvm-sysroot";
    public static final String ENTRYPOINT_DIR = "wasm/python/py_func";
    public static final String ENTRYPOINT = ENTRYPOINT_DIR + "/function.wasm";
    public static final String STAMP = KeyedOutput.STAMP;

    private SysrootLayout() {}

    public static String libDir() {
        return LLVM_SYSROOT + "/lib/" + TRIPLE;
    }

    public static String includeDir(String pythonMajorMinor) {
        return LLVM_SYSROOT + "/include/" + TRIPLE + "/python" + pythonMajorMinor;
    }

    public static String stdlib(String pythonMajorMinor) {
        return RUNTIME_ROOT + "/lib/python" + pythonMajorMinor;
    }

    public static Path runtimeRoot(Path sysroot) {
        return sysroot.resolve(RUNTIME_ROOT);
    }

    public static Path entrypoint(Path sysroot) {
        return sysroot.resolve(ENTRYPOINT);
    }
}
