package org.faasm.python.core.sysroot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.faasm.python.core.FaasmException;
import org.faasm.python.core.cpython.BuildInputs;
import org.faasm.python.core.cpython.ProcessRunner;
import org.faasm.python.core.cpython.CPythonBuilder.WasmOutputs;
import org.faasm.python.core.util.AtomicFiles;
import org.faasm.python.core.util.Digests;
import org.faasm.python.core.util.FileTrees;
import org.faasm.python.core.util.Log;
import org.faasm.python.core.wheel.WheelInstaller;

/**
 * Lays out the sysroot directory the way Faasm images use it:
 *
 * <pre>
 * llvm-sysroot/lib/wasm32-wasi/libpythonX.Y.a (+ libz.a, libmpdec.a, libexpat.a, C extensions)
 * llvm-sysroot/include/wasm32-wasi/pythonX.Y/   (with pyconfig.h)
 * runtime_root/lib/pythonX.Y/**                 (standard library, site-packages)
 * wasm/python/py_func/function.wasm             (the entrypoint)
 * </pre>
 *
 * The standard library goes in without its test suite ({@code test/}); site-packages gets the
 * wheels and the cross-built modules, never their stale .pyc files. Unless precompiling is off,
 * the bytecode of both is compiled afresh by the native build python (the same version) as
 * {@code unchecked-hash} .pyc files with guest paths: valid whatever the files' times after an
 * archive round trip, so the read-only runtime never recompiles a module. The directory is built
 * under a temporary name and swapped in; it is rebuilt only when an input changes.
 */
public final class SysrootAssembler {
    public static final String TRIPLE = "wasm32-wasi";
    static final String LAYOUT = "layout-3-unchecked-hash-pyc";
    static final String STAMP = ".faasm-sysroot";

    private SysrootAssembler() {}

    public static String entrypointPath() {
        return "wasm/python/py_func/function.wasm";
    }

    /** True when {@code dir} was assembled from exactly these inputs. */
    public static boolean upToDate(Path dir, String key) {
        try {
            return Files.isRegularFile(dir.resolve(STAMP)) && Files.readString(dir.resolve(STAMP)).equals(key);
        } catch (IOException e) {
            return false;
        }
    }

    public static String key(WasmOutputs python, Path entrypoint, List<Path> wheels, List<Path> archives, List<Path> sitePackages,
            boolean precompile) {
        BuildInputs inputs = new BuildInputs().put("layout", LAYOUT).put("python.build", python.key())
                .put("entrypoint", Digests.sha256(entrypoint)).put("precompile", String.valueOf(precompile));
        for (int i = 0; i < sitePackages.size(); i++) {
            inputs.put("site-packages." + i, Digests.sha256(FileTrees.formatManifest(FileTrees.manifest(sitePackages.get(i)))));
        }
        // by content only: the same wheel is named differently in the reactor and in the local repository
        inputs.put("wheels", String.join(",", wheels.stream().map(Digests::sha256).sorted().toList()));
        for (Path a : archives) {
            inputs.put("archive." + a.getFileName(), Digests.sha256(a));
        }
        return inputs.key();
    }

    /**
     * @param sitePackages directories of cross-built modules to add to site-packages
     * @param precompile compile .pyc files for the whole runtime (faster start-up)
     * @param nativePython the native build python's interpreter (bin/python3), for compiling bytecode
     */
    public static Path assemble(WasmOutputs python, Path entrypoint, List<Path> wheels, List<Path> extraArchives, List<Path> sitePackages,
            boolean precompile, Path dir, Path nativePython, Path logFile, Log log) {
        String key = key(python, entrypoint, wheels, extraArchives, sitePackages, precompile);
        if (upToDate(dir, key)) {
            log.info("Sysroot directory is up to date: " + dir);
            return dir;
        }
        String xy = python.pythonMajorMinor();
        Path tmp = AtomicFiles.tempSibling(dir);
        try {
            Path lib = tmp.resolve("llvm-sysroot/lib/" + TRIPLE);
            Files.createDirectories(lib);
            try (Stream<Path> libs = Files.list(python.root().resolve("lib"))) {
                for (Path a : libs.filter(p -> p.getFileName().toString().endsWith(".a")).sorted().toList()) {
                    Files.copy(a, lib.resolve(a.getFileName()));
                }
            }
            for (Path a : extraArchives) {
                Files.copy(a, lib.resolve(a.getFileName()));
            }
            FileTrees.copyTree(python.includeDir(), tmp.resolve("llvm-sysroot/include/" + TRIPLE + "/python" + xy));
            Path stdlib = tmp.resolve("runtime_root/lib/python" + xy);
            copyStdlib(python.stdlib(), stdlib);
            Path site = stdlib.resolve("site-packages");
            Files.createDirectories(site);
            for (Path w : wheels) {
                List<String> top = WheelInstaller.install(w, site);
                log.info("Installed " + w.getFileName() + " into site-packages: " + String.join(", ", top));
            }
            for (Path modules : sitePackages) {
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
            if (precompile) {
                new ProcessRunner(log).run("sysroot: compile bytecode", List.of(nativePython.toString(), "-m", "compileall", "-q", "-j",
                        "0", "--invalidation-mode", "unchecked-hash", "-s", tmp.resolve("runtime_root").toString(), "-p", "/",
                        stdlib.toString()), tmp, java.util.Map.of("PYTHONDONTWRITEBYTECODE", "1"), logFile);
            }
            Path wasm = tmp.resolve(entrypointPath());
            Files.createDirectories(wasm.getParent());
            Files.copy(entrypoint, wasm);
            Files.writeString(tmp.resolve(STAMP), key);
            FileTrees.deleteRecursively(dir);
            Files.move(tmp, dir);
            log.info("Sysroot directory assembled in " + dir);
            return dir;
        } catch (IOException e) {
            FileTrees.deleteRecursively(tmp);
            throw new UncheckedIOException("cannot assemble the sysroot in " + dir, e);
        } catch (RuntimeException e) {
            FileTrees.deleteRecursively(tmp);
            throw e;
        }
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

    /** The archive of an assembled sysroot directory (everything but the stamp). */
    public static DeterministicTar archive(Path dir, long mtimeMillis) {
        DeterministicTar tar = new DeterministicTar(mtimeMillis);
        for (String rel : FileTrees.listFiles(dir)) {
            if (!rel.equals(STAMP)) {
                tar.add(rel, dir.resolve(rel));
            }
        }
        return tar;
    }
}
