package org.faasm.python.core.toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.faasm.python.core.util.Commands;
import org.faasm.python.core.BuildSetting;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;

/**
 * Finds a WASI toolchain, in this order, and stops at the first that is complete:
 *
 * <ol>
 *   <li>the {@code toolchainPath} parameter ({@code -Dfaasm.toolchain.path}): a wasi-sdk layout;
 *   <li>the {@code WASI_SDK_PATH} environment variable: a wasi-sdk layout;
 *   <li>{@code /opt/wasi-sdk};
 *   <li>Debian/Ubuntu packages: {@code clang-N}, {@code wasm-ld-N}, {@code llvm-ar-N}, wasi-libc under
 *       {@code /usr/include|lib/wasm32-wasi}, compiler-rt builtins for wasm32; the highest complete N,
 *       or the one named by {@code -Dfaasm.toolchain.clangVersion}. A sysroot directory linking to
 *       wasi-libc is assembled in the cache, so host headers never leak into the wasm build.
 * </ol>
 *
 * An explicitly named toolchain (parameter or variable) that is incomplete is an error rather than
 * skipped. Results are memoised per JVM.
 */
public final class ToolchainLocator {
    static final int[] DEBIAN_VERSIONS = {21, 20, 19, 18, 17, 16, 15};
    private static final Map<String, Toolchain> MEMO = new ConcurrentHashMap<>();

    private final HostEnvironment host;
    private final Path cacheRoot;
    private final WasiLibc wasiLibc;

    /** A locator whose Debian toolchains use the distribution's {@code wasi-libc} package. */
    public ToolchainLocator(HostEnvironment host, Path cacheRoot) {
        this(host, cacheRoot, null);
    }

    /**
     * @param wasiLibc where a Debian toolchain's C library comes from, or null for the distribution's
     *     {@code wasi-libc} package (a wasi-sdk brings its own)
     */
    public ToolchainLocator(HostEnvironment host, Path cacheRoot, WasiLibc wasiLibc) {
        this.host = host;
        this.cacheRoot = cacheRoot;
        this.wasiLibc = wasiLibc;
    }

    /**
     * @param toolchainPath explicit wasi-sdk directory or null
     * @param clangVersion Debian clang major version to use, or null for the highest complete one
     */
    public Toolchain locate(Path toolchainPath, Integer clangVersion) {
        String key = host.root() + "|" + toolchainPath + "|" + clangVersion + "|" + host.getenv("WASI_SDK_PATH").orElse("")
                + "|" + cacheRoot + "|" + (wasiLibc == null ? "debian wasi-libc" : wasiLibc.id());
        Toolchain memo = MEMO.get(key);
        if (memo != null) {
            return memo;
        }
        Toolchain t = locateUncached(toolchainPath, clangVersion);
        MEMO.put(key, t);
        return t;
    }

    static void clearMemo() {
        MEMO.clear();
    }

    private Toolchain locateUncached(Path toolchainPath, Integer clangVersion) {
        List<String> lookedAt = new ArrayList<>();
        HostTools hostTools = hostTools();
        if (toolchainPath != null) {
            return wasiSdk(toolchainPath, "parameter", hostTools, lookedAt)
                    .orElseThrow(() -> new FaasmException("The toolchain at " + toolchainPath + " is not a usable wasi-sdk:\n    "
                            + String.join("\n    ", lookedAt), BuildSetting.TOOLCHAIN_PATH,
                            "point it at the root of a wasi-sdk release (with bin/clang and share/wasi-sysroot) or unset it"));
        }
        Optional<String> envSdk = host.getenv("WASI_SDK_PATH");
        if (envSdk.isPresent()) {
            Path p = host.path(envSdk.get());
            return wasiSdk(p, "WASI_SDK_PATH", hostTools, lookedAt)
                    .orElseThrow(() -> new FaasmException("WASI_SDK_PATH=" + envSdk.get() + " is not a usable wasi-sdk:\n    "
                            + String.join("\n    ", lookedAt), "environment variable WASI_SDK_PATH",
                            "point it at the root of a wasi-sdk release, or unset it to use /opt/wasi-sdk or Debian packages"));
        }
        lookedAt.add("WASI_SDK_PATH: not set");
        Path opt = host.path("/opt/wasi-sdk");
        if (Files.isDirectory(opt)) {
            Optional<Toolchain> t = wasiSdk(opt, "/opt/wasi-sdk", hostTools, lookedAt);
            if (t.isPresent()) {
                return t.get();
            }
        } else {
            lookedAt.add("/opt/wasi-sdk: does not exist");
        }
        int[] versions = clangVersion != null ? new int[] {clangVersion} : DEBIAN_VERSIONS;
        for (int n : versions) {
            Optional<Toolchain> t = debian(n, hostTools, lookedAt);
            if (t.isPresent()) {
                return t.get();
            }
        }
        // the clang whose wasi-libc CPython 3.13 documents (wasi-sdk 24 is LLVM 18-19); Debian 12 has 16 and 19
        int suggest = clangVersion != null ? clangVersion : wasiLibc != null ? 19 : 16;
        throw new FaasmException("No usable WASI toolchain found. Looked at, in order:\n    " + String.join("\n    ", lookedAt),
                BuildSetting.TOOLCHAIN_PATH,
                "on Debian/Ubuntu run: apt-get install clang-" + suggest + " lld-" + suggest + " llvm-" + suggest
                        + (wasiLibc == null ? " wasi-libc" : "") + " libclang-rt-" + suggest + "-dev-wasm32 libc++-" + suggest + "-dev-wasm32 libc++abi-" + suggest
                        + "-dev-wasm32 make gcc"
                        + "; or unpack a wasi-sdk release and set WASI_SDK_PATH to it");
    }

    record HostTools(Path cc, Path make, List<String> missing) {}

    HostTools hostTools() {
        List<String> missing = new ArrayList<>();
        Path cc = host.which("cc").or(() -> host.which("gcc")).orElse(null);
        if (cc == null) {
            missing.add("host C compiler 'cc' or 'gcc' on PATH (package gcc)");
        }
        Path make = host.which("make").orElse(null);
        if (make == null) {
            missing.add("'make' on PATH (package make)");
        }
        return new HostTools(cc, make, missing);
    }

    private Optional<Toolchain> wasiSdk(Path dir, String kind, HostTools hostTools, List<String> lookedAt) {
        List<String> missing = new ArrayList<>();
        Path bin = dir.resolve("bin");
        Path clang = need(bin.resolve("clang"), missing);
        Path clangxx = need(bin.resolve("clang++"), missing);
        Path ar = need(bin.resolve("llvm-ar"), missing);
        Path ranlib = need(bin.resolve("llvm-ranlib"), missing);
        Path ld = need(bin.resolve("wasm-ld"), missing);
        Path sysroot = dir.resolve("share/wasi-sysroot");
        Path libc = firstExisting(sysroot.resolve("lib/wasm32-wasi/libc.a"), sysroot.resolve("lib/wasm32-wasip1/libc.a"));
        if (libc == null) {
            missing.add(sysroot.resolve("lib/wasm32-wasi/libc.a").toString());
        }
        missing.addAll(hostTools.missing());
        if (!missing.isEmpty()) {
            lookedAt.add(kind + " " + dir + ": missing " + String.join(", ", missing));
            return Optional.empty();
        }
        String version = versionLine(clang);
        String fingerprint = Digests.sha256(version + "\n" + Digests.sha256(libc));
        return Optional.of(new Toolchain(kind, clang, clangxx, ar, ranlib, ld, sysroot, version, fingerprint,
                host.which("wasm-opt").orElse(null), hostTools.cc(), hostTools.make()));
    }

    private Optional<Toolchain> debian(int n, HostTools hostTools, List<String> lookedAt) {
        List<String> missing = new ArrayList<>();
        Path clang = needPkg(host.path("/usr/bin/clang-" + n), "clang-" + n, missing);
        Path clangxx = needPkg(host.path("/usr/bin/clang++-" + n), "clang-" + n, missing);
        Path ld = needPkg(host.path("/usr/bin/wasm-ld-" + n), "lld-" + n, missing);
        Path ar = needPkg(host.path("/usr/bin/llvm-ar-" + n), "llvm-" + n, missing);
        Path ranlib = needPkg(host.path("/usr/bin/llvm-ranlib-" + n), "llvm-" + n, missing);
        Path include = host.path("/usr/include/wasm32-wasi");
        Path lib = host.path("/usr/lib/wasm32-wasi");
        if (wasiLibc == null) {
            needPkg(include.resolve("stdio.h"), "wasi-libc", missing);
            needPkg(lib.resolve("libc.a"), "wasi-libc", missing);
        }
        Path builtins = host.path("/usr/lib/llvm-" + n + "/lib/clang/" + n + "/lib/wasi/libclang_rt.builtins-wasm32.a");
        needPkg(builtins, "libclang-rt-" + n + "-dev-wasm32", missing);
        // C++ (NumPy's sorts and string ufuncs): libc++'s headers and libraries for wasm32-wasi, in
        // clang-N's own directories (clang 19) or linked from the common ones (older packages)
        Path llvmLib = host.path("/usr/lib/llvm-" + n + "/lib/wasm32-wasi");
        Path cxxLib = Files.exists(llvmLib.resolve("libc++.a")) ? llvmLib : lib;
        Path llvmCxxHeaders = host.path("/usr/lib/llvm-" + n + "/include/wasm32-wasi/c++");
        Path cxxHeaders = Files.isDirectory(llvmCxxHeaders) ? llvmCxxHeaders : include.resolve("c++");
        needPkg(cxxLib.resolve("libc++.a"), "libc++-" + n + "-dev-wasm32", missing);
        needPkg(cxxLib.resolve("libc++abi.a"), "libc++abi-" + n + "-dev-wasm32", missing);
        missing.addAll(hostTools.missing());
        if (!missing.isEmpty()) {
            lookedAt.add("Debian clang-" + n + ": missing " + String.join(", ", missing));
            return Optional.empty();
        }
        String version = versionLine(clang);
        Path sysroot;
        Path libc;
        if (wasiLibc == null) {
            sysroot = debianSysroot(include, lib);
            libc = lib.resolve("libc.a");
        } else {
            Path built = wasiLibc.provide(new Toolchain("debian", clang, clangxx, ar, ranlib, ld, null, version,
                    Digests.sha256(version + "\n" + Digests.sha256(builtins)), null, hostTools.cc(), hostTools.make()));
            sysroot = assembledSysroot(built, cxxHeaders, cxxLib);
            libc = built.resolve("lib/wasm32-wasi/libc.a");
        }
        String fingerprint = Digests.sha256(version + "\n" + Digests.sha256(libc) + "\n" + Digests.sha256(builtins));
        return Optional.of(new Toolchain("debian", clang, clangxx, ar, ranlib, ld, sysroot, version, fingerprint,
                host.which("wasm-opt").orElse(null), hostTools.cc(), hostTools.make()));
    }

    /**
     * {@code <cache>/toolchain/debian-wasi-sysroot} with include/wasm32-wasi and lib/wasm32-wasi linking to wasi-libc, and
     * include/c++ linking to libc++'s headers for wasm32-wasi (clang looks for {@code <sysroot>/include/c++/v1} before it adds
     * the per-target C++ include directory).
     */
    Path debianSysroot(Path include, Path lib) {
        Path target = cacheRoot.resolve("toolchain").resolve("debian-wasi-sysroot");
        return publishLinks(target, Map.of("include/wasm32-wasi", include, "include/c++", include.resolve("c++"), "lib/wasm32-wasi", lib));
    }

    /**
     * A sysroot of a built wasi-libc and Debian's libc++: include/wasm32-wasi links to the built headers,
     * include/c++ to libc++'s, and lib/wasm32-wasi holds a link per library of either (one directory,
     * where clang looks for both). Named by what it links to, so each wasi-libc build has its own.
     */
    Path assembledSysroot(Path libc, Path cxxHeaders, Path cxxLib) {
        Map<String, Path> links = new java.util.TreeMap<>();
        links.put("include/wasm32-wasi", libc.resolve("include/wasm32-wasi"));
        links.put("include/c++", cxxHeaders);
        Path libcLib = libc.resolve("lib/wasm32-wasi");
        try (java.util.stream.Stream<Path> s = Files.list(libcLib)) {
            s.forEach(f -> links.put("lib/wasm32-wasi/" + f.getFileName(), f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + libcLib, e);
        }
        for (String cxx : List.of("libc++.a", "libc++abi.a", "libc++experimental.a")) {
            if (Files.exists(cxxLib.resolve(cxx))) {
                links.put("lib/wasm32-wasi/" + cxx, cxxLib.resolve(cxx));
            }
        }
        String id = Digests.sha256(links.toString()).substring(0, 16);
        return publishLinks(cacheRoot.resolve("toolchain").resolve("wasi-sysroot-" + id), links);
    }

    /** Makes {@code target} a tree of these symbolic links (relative path to link target), unless it already is one. */
    private static Path publishLinks(Path target, Map<String, Path> links) {
        try {
            boolean same = true;
            for (Map.Entry<String, Path> e : links.entrySet()) {
                Path l = target.resolve(e.getKey());
                if (!Files.isSymbolicLink(l) || !Files.readSymbolicLink(l).equals(e.getValue())) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return target;
            }
            Path tmp = AtomicFiles.tempSibling(target);
            for (Map.Entry<String, Path> e : links.entrySet()) {
                Path l = tmp.resolve(e.getKey());
                Files.createDirectories(l.getParent());
                Files.createSymbolicLink(l, e.getValue());
            }
            FileTrees.deleteRecursively(target);
            if (!AtomicFiles.publishDirectory(tmp, target)) {
                FileTrees.deleteRecursively(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot assemble the WASI sysroot at " + target, e);
        }
    }

    private static Path need(Path p, List<String> missing) {
        if (!Files.exists(p)) {
            missing.add(p.toString());
        }
        return p;
    }

    private static Path needPkg(Path p, String pkg, List<String> missing) {
        if (!Files.exists(p)) {
            missing.add(p + " (package " + pkg + ")");
        }
        return p;
    }

    private static Path firstExisting(Path... candidates) {
        for (Path p : candidates) {
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    static String versionLine(Path clang) {
        try {
            Commands.Output out = Commands.run(List.of(clang.toString(), "--version"));
            if (out.exitCode() != 0) {
                throw new FaasmException(clang + " --version failed: " + out.text().strip(), clang.toString(),
                        "reinstall the compiler or choose another toolchain");
            }
            return out.firstLine().isEmpty() ? "unknown" : out.firstLine();
        } catch (IOException e) {
            throw new FaasmException("Cannot run " + clang + ": " + e.getMessage(), clang.toString(),
                    "check that the compiler is executable", e);
        }
    }

}
