package org.faasm.python.core.sysroot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.faasm.python.core.cpython.CPythonBuilder.WasmOutputs;

/**
 * The layout Faasm images use, filled from a wasm32-wasi build:
 *
 * <pre>
 * llvm-sysroot/lib/&lt;triple&gt;/libpythonX.Y.a (+ libz.a, libmpdec.a, libexpat.a, ...)
 * llvm-sysroot/include/&lt;triple&gt;/pythonX.Y/   (with pyconfig.h)
 * runtime_root/lib/pythonX.Y/**                 (standard library, site-packages)
 * </pre>
 */
public final class SysrootLayout {
    public static final String TRIPLE = "wasm32-wasi";

    private SysrootLayout() {}

    public static DeterministicTar sysroot(WasmOutputs out, long mtimeMillis) {
        DeterministicTar tar = new DeterministicTar(mtimeMillis);
        String xy = out.pythonMajorMinor();
        try (Stream<Path> libs = Files.list(out.root().resolve("lib"))) {
            libs.filter(p -> p.getFileName().toString().endsWith(".a")).sorted()
                    .forEach(p -> tar.add("llvm-sysroot/lib/" + TRIPLE + "/" + p.getFileName(), p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tar.addTree("llvm-sysroot/include/" + TRIPLE + "/python" + xy, out.includeDir());
        tar.addTree("runtime_root/lib/python" + xy, out.stdlib());
        return tar;
    }
}
