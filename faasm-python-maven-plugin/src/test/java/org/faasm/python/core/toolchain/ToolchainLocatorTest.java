package org.faasm.python.core.toolchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.faasm.python.host.FaasmException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery against fake directory layouts; fake compilers are small shell scripts. */
class ToolchainLocatorTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path cache;

    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void hostTools() throws IOException {
        root = tmp.resolve("root");
        cache = tmp.resolve("cache");
        ToolchainLocator.clearMemo();
        env.put("PATH", "/usr/bin:/bin");
        exe("/usr/bin/cc", "echo cc");
        exe("/usr/bin/make", "echo make");
    }

    private Path exe(String path, String body) throws IOException {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private void file(String path) throws IOException {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, path);
    }

    private void wasiSdk(String dir) throws IOException {
        for (String tool : new String[] {"clang", "clang++", "llvm-ar", "llvm-ranlib", "wasm-ld"}) {
            exe(dir + "/bin/" + tool, "echo 'clang version 24.0.0 (wasi-sdk)'");
        }
        file(dir + "/share/wasi-sysroot/lib/wasm32-wasi/libc.a");
        file(dir + "/share/wasi-sysroot/include/wasm32-wasi/stdio.h");
    }

    private void debian(int n) throws IOException {
        exe("/usr/bin/clang-" + n, "echo 'Debian clang version " + n + ".0.6'");
        exe("/usr/bin/clang++-" + n, "echo clang++");
        exe("/usr/bin/wasm-ld-" + n, "echo ld");
        exe("/usr/bin/llvm-ar-" + n, "echo ar");
        exe("/usr/bin/llvm-ranlib-" + n, "echo ranlib");
        file("/usr/include/wasm32-wasi/stdio.h");
        file("/usr/lib/wasm32-wasi/libc.a");
        file("/usr/lib/wasm32-wasi/libc++.a");
        file("/usr/lib/wasm32-wasi/libc++abi.a");
        file("/usr/lib/llvm-" + n + "/lib/clang/" + n + "/lib/wasi/libclang_rt.builtins-wasm32.a");
    }

    private ToolchainLocator locator() {
        return new ToolchainLocator(new HostEnvironment(env, root), cache);
    }

    @Test
    void findsDebianPackagesAndAssemblesASysrootLinkingToWasiLibc() throws Exception {
        debian(16);

        Toolchain t = locator().locate(null, null);

        assertEquals("debian", t.kind());
        assertEquals("Debian clang version 16.0.6", t.versionLine());
        assertEquals(root.resolve("usr/bin/clang-16"), t.clang());
        Path sysroot = t.sysroot();
        assertEquals(root.resolve("usr/include/wasm32-wasi"), Files.readSymbolicLink(sysroot.resolve("include/wasm32-wasi")));
        assertEquals(root.resolve("usr/lib/wasm32-wasi"), Files.readSymbolicLink(sysroot.resolve("lib/wasm32-wasi")));
        assertTrue(t.cc().contains("--sysroot=" + sysroot));
    }

    @Test
    void prefersTheHighestCompleteDebianVersionUnlessOneIsNamed() throws Exception {
        debian(16);
        debian(19);
        Files.delete(root.resolve("usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a"));
        debian(18);

        assertEquals(root.resolve("usr/bin/clang-18"), locator().locate(null, null).clang());
        assertEquals(root.resolve("usr/bin/clang-16"), locator().locate(null, 16).clang());
    }

    @Test
    void wasiSdkPathComesBeforeOptAndDebian() throws Exception {
        debian(16);
        wasiSdk("/opt/wasi-sdk");
        wasiSdk("/sdk/env");
        env.put("WASI_SDK_PATH", "/sdk/env");

        Toolchain t = locator().locate(null, null);

        assertEquals("WASI_SDK_PATH", t.kind());
        assertEquals(root.resolve("sdk/env/share/wasi-sysroot"), t.sysroot());
    }

    @Test
    void optWasiSdkComesBeforeDebian() throws Exception {
        debian(16);
        wasiSdk("/opt/wasi-sdk");

        assertEquals("/opt/wasi-sdk", locator().locate(null, null).kind());
    }

    @Test
    void theParameterComesFirstAndMustBeComplete() throws Exception {
        debian(16);
        wasiSdk("/mine");
        assertEquals("parameter", locator().locate(root.resolve("mine"), null).kind());

        ToolchainLocator.clearMemo();
        Files.delete(root.resolve("mine/bin/wasm-ld"));
        FaasmException e = assertThrows(FaasmException.class, () -> locator().locate(root.resolve("mine"), null));
        assertTrue(e.getMessage().contains("wasm-ld"), e.getMessage());
        assertEquals(org.faasm.python.core.BuildSetting.TOOLCHAIN_PATH, e.setting());
    }

    @Test
    void aBrokenWasiSdkPathIsAnErrorNamingTheVariable() throws Exception {
        debian(16);
        env.put("WASI_SDK_PATH", "/nowhere");

        FaasmException e = assertThrows(FaasmException.class, () -> locator().locate(null, null));

        assertTrue(e.getMessage().startsWith("WASI_SDK_PATH=/nowhere"), e.getMessage());
    }

    @Test
    void nothingFoundListsWhatWasLookedForAndThePackagesToInstall() throws Exception {
        exe("/usr/bin/clang-16", "echo clang");

        FaasmException e = assertThrows(FaasmException.class, () -> locator().locate(null, null));

        String text = e.describe();
        assertTrue(text.contains("WASI_SDK_PATH: not set"), text);
        assertTrue(text.contains("/opt/wasi-sdk: does not exist"), text);
        assertTrue(text.contains("Debian clang-16: missing"), text);
        assertTrue(text.contains("(package lld-16)"), text);
        assertTrue(text.contains("(package wasi-libc)"), text);
        assertTrue(text.contains("apt-get install clang-16 lld-16 llvm-16 wasi-libc libclang-rt-16-dev-wasm32"), text);
    }

    @Test
    void missingHostMakeIsReported() throws Exception {
        debian(16);
        Files.delete(root.resolve("usr/bin/make"));

        FaasmException e = assertThrows(FaasmException.class, () -> locator().locate(null, null));

        assertTrue(e.getMessage().contains("'make' on PATH (package make)"), e.getMessage());
    }

    @Test
    void theFingerprintChangesWithWasiLibc() throws Exception {
        debian(16);
        String before = locator().locate(null, null).fingerprint();
        ToolchainLocator.clearMemo();
        Files.writeString(root.resolve("usr/lib/wasm32-wasi/libc.a"), "a newer wasi-libc");

        assertNotEquals(before, locator().locate(null, null).fingerprint());
    }

    /** A wasi-libc "built" into a directory of its own, as the build cache would hold it. */
    private WasiLibc builtLibc(Path dir, java.util.List<Toolchain> calls) {
        return new WasiLibc() {
            @Override
            public String id() {
                return "pin:sha256:test";
            }

            @Override
            public Path provide(Toolchain compiler) {
                calls.add(compiler);
                try {
                    Files.createDirectories(dir.resolve("include/wasm32-wasi"));
                    Files.writeString(dir.resolve("include/wasm32-wasi/pthread.h"), "/* newer */");
                    Files.createDirectories(dir.resolve("lib/wasm32-wasi"));
                    if (!Files.exists(dir.resolve("lib/wasm32-wasi/libc.a"))) {
                        Files.writeString(dir.resolve("lib/wasm32-wasi/libc.a"), "built libc");
                    }
                    Files.writeString(dir.resolve("lib/wasm32-wasi/libdl.a"), "built libdl");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return dir;
            }
        };
    }

    @Test
    void aBuiltWasiLibcReplacesTheDistributionsAndSitsBesideClangsOwnLibcxx() throws Exception {
        debian(19);
        // clang 19's packages keep libc++ for wasm32-wasi in clang's own directories
        file("/usr/lib/llvm-19/lib/wasm32-wasi/libc++.a");
        file("/usr/lib/llvm-19/lib/wasm32-wasi/libc++abi.a");
        Files.createDirectories(root.resolve("usr/lib/llvm-19/include/wasm32-wasi/c++/v1"));
        Files.delete(root.resolve("usr/include/wasm32-wasi/stdio.h"));
        Files.delete(root.resolve("usr/lib/wasm32-wasi/libc.a"));
        java.util.List<Toolchain> calls = new java.util.ArrayList<>();
        Path built = tmp.resolve("built-libc");

        Toolchain t = new ToolchainLocator(new HostEnvironment(env, root), cache, builtLibc(built, calls)).locate(null, null);

        assertEquals(1, calls.size(), "built once, with the clang that was found");
        assertEquals(root.resolve("usr/bin/clang-19"), calls.get(0).clang());
        Path sysroot = t.sysroot();
        assertEquals(built.resolve("include/wasm32-wasi"), Files.readSymbolicLink(sysroot.resolve("include/wasm32-wasi")));
        assertEquals(built.resolve("lib/wasm32-wasi/libc.a"), Files.readSymbolicLink(sysroot.resolve("lib/wasm32-wasi/libc.a")));
        assertEquals(built.resolve("lib/wasm32-wasi/libdl.a"), Files.readSymbolicLink(sysroot.resolve("lib/wasm32-wasi/libdl.a")));
        assertEquals(root.resolve("usr/lib/llvm-19/lib/wasm32-wasi/libc++.a"), Files.readSymbolicLink(sysroot.resolve("lib/wasm32-wasi/libc++.a")));
        assertEquals(root.resolve("usr/lib/llvm-19/include/wasm32-wasi/c++"), Files.readSymbolicLink(sysroot.resolve("include/c++")));
        assertTrue(t.cc().contains("--sysroot=" + sysroot));

        String before = t.fingerprint();
        ToolchainLocator.clearMemo();
        Files.writeString(built.resolve("lib/wasm32-wasi/libc.a"), "another build");
        assertNotEquals(before, new ToolchainLocator(new HostEnvironment(env, root), cache, builtLibc(built, calls))
                .locate(null, null).fingerprint(), "the fingerprint follows the built libc");
    }

    @Test
    void withABuiltWasiLibcTheAdviceNamesNoWasiLibcPackage() throws Exception {
        exe("/usr/bin/clang-19", "echo clang");

        FaasmException e = assertThrows(FaasmException.class,
                () -> new ToolchainLocator(new HostEnvironment(env, root), cache, builtLibc(tmp.resolve("b"), new java.util.ArrayList<>()))
                        .locate(null, null));

        String text = e.describe();
        assertTrue(text.contains("apt-get install clang-19 lld-19 llvm-19 libclang-rt-19-dev-wasm32"), text);
        assertTrue(!text.contains("(package wasi-libc)"), text);
    }
}
