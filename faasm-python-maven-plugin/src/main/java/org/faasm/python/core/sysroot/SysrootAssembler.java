package org.faasm.python.core.sysroot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.faasm.python.core.build.BuildCache;
import org.faasm.python.core.build.ProcessRunner;
import org.faasm.python.core.cpython.CPythonBuilder.WasmOutputs;
import org.faasm.python.core.wheel.WheelInstaller;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.engine.CompiledModules;
import org.faasm.python.host.engine.Engines;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.keyed.KeyedOutput;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * Lays out the sysroot directory the way Faasm images use it ({@link SysrootLayout}).
 *
 * The standard library goes in without its test suite ({@code test/}); site-packages gets the
 * wheels and the cross-built modules, never their stale .pyc files. Unless precompiling is off,
 * the bytecode of both is compiled afresh by the native build python (the same version) as
 * {@code unchecked-hash} .pyc files with guest paths: valid whatever the files' times after an
 * archive round trip, so the read-only runtime never recompiles a module. With {@code aot} the
 * entrypoint's JVM bytecode for the local host goes beside it, from the build cache (the team's
 * too) when it has it. The directory is a
 * {@link KeyedOutput}: rebuilt only when an input changes.
 */
public final class SysrootAssembler {
    static final String LAYOUT = "layout-5-keyed-canonical-bytecode";

    private SysrootAssembler() {}

    /** What a sysroot is assembled from. */
    public record Inputs(WasmOutputs python, Path entrypoint, List<Path> wheels, List<Path> extraArchives, List<Path> sitePackages,
            boolean precompile, boolean aot, BuildCache cache) {}

    static BuildInputs inputs(Inputs in) {
        BuildInputs inputs = new BuildInputs().put("layout", LAYOUT).put("python.build", in.python().key())
                .put("entrypoint", Digests.sha256(in.entrypoint())).put("precompile", in.precompile() ? "one-process-hashseed-0-no-site" : "false")
                // the shipped bytecode depends on the compiler that made it
                .put("aot", in.aot() ? CompiledModules.bytecodeVersion() : "false");
        for (int i = 0; i < in.sitePackages().size(); i++) {
            inputs.put("site-packages." + i, Digests.sha256(FileTrees.formatManifest(FileTrees.manifest(in.sitePackages().get(i)))));
        }
        // by content only: the same wheel is named differently in the reactor and in the local repository
        inputs.put("wheels", String.join(",", in.wheels().stream().map(Digests::sha256).sorted().toList()));
        for (Path a : in.extraArchives()) {
            inputs.put("archive." + a.getFileName(), Digests.sha256(a));
        }
        return inputs;
    }

    /**
     * @param nativePython the native build python's interpreter (bin/python3), for compiling bytecode
     */
    public static Path assemble(Inputs in, Path dir, Path nativePython, Path logFile, Log log) {
        KeyedOutput out = KeyedOutput.directory("Sysroot directory " + dir.getFileName(), dir, inputs(in)).verified();
        // obtained even when the sysroot is up to date, so a build that pushes to the team cache offers it
        Path bytecode = in.aot() ? bytecode(in.entrypoint(), in.cache(), log) : null;
        out.make(log, tmp -> layOut(in, tmp, bytecode, nativePython, logFile, log));
        return dir;
    }

    private static void layOut(Inputs in, Path tmp, Path bytecodeEntry, Path nativePython, Path logFile, Log log) throws IOException {
        WasmOutputs python = in.python();
        String xy = python.pythonMajorMinor();
        Path lib = tmp.resolve(SysrootLayout.libDir());
        Files.createDirectories(lib);
        try (Stream<Path> libs = Files.list(python.root().resolve("lib"))) {
            for (Path a : libs.filter(p -> p.getFileName().toString().endsWith(".a")).sorted().toList()) {
                Files.copy(a, lib.resolve(a.getFileName()));
            }
        }
        for (Path a : in.extraArchives()) {
            Files.copy(a, lib.resolve(a.getFileName()));
        }
        FileTrees.copyTree(python.includeDir(), tmp.resolve(SysrootLayout.includeDir(xy)));
        Path stdlib = tmp.resolve(SysrootLayout.stdlib(xy));
        copyStdlib(python.stdlib(), stdlib);
        Path site = stdlib.resolve("site-packages");
        Files.createDirectories(site);
        for (Path w : in.wheels()) {
            List<String> top = WheelInstaller.install(w, site);
            log.info("Installed " + w.getFileName() + " into site-packages: " + String.join(", ", top));
        }
        for (Path modules : in.sitePackages()) {
            for (String rel : FileTrees.listFiles(modules)) {
                if (FileTrees.isBytecode(rel)) {
                    continue; // never ship stale bytecode
                }
                Path dest = site.resolve(rel);
                if (Files.exists(dest)) {
                    throw new FaasmException("Two sources install site-packages/" + rel + " (the second is "
                            + modules + ")", modules.toString(), "leave one of the two packages out");
                }
                Files.createDirectories(dest.getParent());
                Files.copy(modules.resolve(rel), dest);
            }
        }
        Files.deleteIfExists(logFile);
        if (in.precompile()) {
            Path runtimeRoot = SysrootLayout.runtimeRoot(tmp);
            // one process, files in a fixed order, a fixed string hash: marshal writes an object by
            // reference when something else holds it too (and set constants in hash order), so the
            // bytes of a .pyc depend on what the compiling process did before (-j 0 spreads the
            // files over workers at random: functools.pyc came out in two versions)
            // -S and no inherited PYTHON* variable: nothing of the machine (a .pth, a user site, a
            // PYTHONPATH) is imported by the compiling process
            Map<String, String> env = new java.util.HashMap<>();
            System.getenv().keySet().stream().filter(k -> k.startsWith("PYTHON")).forEach(k -> env.put(k, null));
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            env.put("PYTHONHASHSEED", "0");
            new ProcessRunner(log).run("sysroot: compile bytecode", List.of(nativePython.toString(), "-S", "-m", "compileall", "-q", "-j",
                    "1", "--invalidation-mode", "unchecked-hash", "-s", runtimeRoot.toString(), "-p", "/", stdlib.toString()), tmp,
                    env, logFile);
        }
        Path wasm = SysrootLayout.entrypoint(tmp);
        Files.createDirectories(wasm.getParent());
        Files.copy(in.entrypoint(), wasm);
        if (bytecodeEntry != null) {
            Path bytecode = CompiledModules.shippedBytecode(wasm);
            Files.createDirectories(bytecode);
            for (String rel : FileTrees.listFiles(bytecodeEntry)) {
                if (rel.endsWith(".bin")) {
                    Files.copy(bytecodeEntry.resolve(rel), bytecode.resolve(rel));
                }
            }
        }
    }

    /** The build cache's kind for the entrypoint's JVM bytecode. */
    static final String BYTECODE = "jvm-bytecode";

    static BuildInputs bytecodeInputs(Path wasm) {
        return new BuildInputs().put("entrypoint", Digests.sha256(wasm)).put("compiler", CompiledModules.bytecodeVersion());
    }

    /**
     * The entrypoint's JVM bytecode for the pure-JVM engine, a build cache entry (so a teammate's
     * build takes it from the team cache): translated here only when no cache has it.
     */
    static Path bytecode(Path wasm, BuildCache cache, Log log) {
        return cache.obtain(BYTECODE, "JVM bytecode of the entrypoint", bytecodeInputs(wasm), dir -> {
            long t0 = System.nanoTime();
            CompiledModules.precompile(wasm, dir);
            log.info(String.format("Entrypoint translated to JVM bytecode for the local host in %.1f s", (System.nanoTime() - t0) / 1e9));
        });
    }

    /**
     * wasmtime's compiled code of the entrypoint, in the user's code cache so the local host does not
     * compile it: a build cache entry keyed by the module, wasmtime's version and the platform
     * (so a teammate on the same platform takes it from the team cache), compiled here only when no
     * cache has it. Nothing where wasmtime does not run.
     */
    public static void nativeCode(Path wasm, Path codeCache, BuildCache cache, Log log) {
        String version = Engines.nativeCodeVersion();
        if (version == null) {
            Engines.precompileNative(wasm, codeCache, log); // says why there is none
            return;
        }
        Path entry = cache.obtain("wasmtime-code", "Native code of the entrypoint (" + version + ")",
                new BuildInputs().put("entrypoint", Digests.sha256(wasm)).put("wasmtime", version), dir -> Engines.precompileNative(wasm, dir, log));
        Engines.installNativeCode(entry, codeCache);
    }

    static boolean keepInRuntime(String rel) {
        return !(rel.startsWith("test/") || rel.endsWith(".pyc"));
    }

    private static void copyStdlib(Path from, Path to) throws IOException {
        for (String rel : FileTrees.listFiles(from)) {
            if (keepInRuntime(rel)) {
                Path dest = to.resolve(rel);
                Files.createDirectories(dest.getParent());
                Files.copy(from.resolve(rel), dest);
            }
        }
    }
}
