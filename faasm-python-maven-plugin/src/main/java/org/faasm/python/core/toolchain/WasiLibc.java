package org.faasm.python.core.toolchain;

import java.nio.file.Path;

/**
 * Where a Debian toolchain's C library comes from when the distribution's {@code wasi-libc} is too
 * old: wasi-libc built from a pinned source with the clang that was found.
 */
public interface WasiLibc {
    /** What identifies the library for memo keys (its pinned source). */
    String id();

    /**
     * Builds (or finds the finished build of) wasi-libc with this compiler.
     *
     * @param compiler the toolchain found, without a sysroot yet
     * @return a directory holding {@code include/wasm32-wasi} and {@code lib/wasm32-wasi}
     */
    Path provide(Toolchain compiler);
}
