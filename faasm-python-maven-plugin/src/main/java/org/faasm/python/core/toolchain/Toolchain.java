package org.faasm.python.core.toolchain;

import java.nio.file.Path;
import java.util.List;

/**
 * A resolved WASI C toolchain plus the host tools the native build needs.
 *
 * @param kind how it was found: "parameter", "WASI_SDK_PATH", "/opt/wasi-sdk" or "debian"
 * @param clang the C compiler (called with --target and --sysroot)
 * @param clangxx the C++ compiler
 * @param ar llvm-ar
 * @param ranlib llvm-ranlib
 * @param wasmLd the WebAssembly linker (clang finds it itself; recorded for checks and messages)
 * @param sysroot the WASI sysroot passed with --sysroot
 * @param versionLine the first line of {@code clang --version}
 * @param fingerprint digest of everything that changes what the toolchain produces
 * @param wasmOpt binaryen's wasm-opt, or null when not installed
 * @param hostCc the host C compiler for the native build python
 * @param make GNU make
 */
public record Toolchain(
        String kind,
        Path clang,
        Path clangxx,
        Path ar,
        Path ranlib,
        Path wasmLd,
        Path sysroot,
        String versionLine,
        String fingerprint,
        Path wasmOpt,
        Path hostCc,
        Path make) {

    public static final String TARGET = "wasm32-wasi";

    /** The compiler command for the wasm target, as one shell word list. */
    public List<String> cc() {
        return List.of(clang.toString(), "--target=" + TARGET, "--sysroot=" + sysroot);
    }

    public List<String> cxx() {
        return List.of(clangxx.toString(), "--target=" + TARGET, "--sysroot=" + sysroot);
    }

    public String describe() {
        return versionLine + " (" + kind + ": " + clang + ", sysroot " + sysroot + ")";
    }
}
