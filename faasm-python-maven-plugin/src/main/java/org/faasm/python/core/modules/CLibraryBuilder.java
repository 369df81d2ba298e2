package org.faasm.python.core.modules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.faasm.python.core.build.BuildCache;
import org.faasm.python.core.build.PathMaps;
import org.faasm.python.core.build.ProcessRunner;
import org.faasm.python.core.cpython.SourceTree;
import org.faasm.python.core.toolchain.Toolchain;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.keyed.KeyedOutput;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * Cross-builds a {@link CLibrarySpec} for wasm32-wasi once: its verified source, patched, is
 * configured by CMake with a wasm32-wasi toolchain file (static libraries only, no tests), built and
 * installed, or built by its Makefile with the WASI compiler as {@code CC} and installed;
 * {@code include/} and {@code lib/} of the installation become a keyed output in the module
 * bundle's build area ({@code c-libraries/<name>}), from the build cache when it holds the same
 * inputs. Build-machine directories get fixed names in the objects, as in the modules' own.
 */
public final class CLibraryBuilder {
    static final String RECIPE = "c-library-2";

    private final Toolchain toolchain;
    private final BuildCache cache;
    private final ModuleSources sources;
    private final ProcessRunner runner;
    private final Log log;

    public CLibraryBuilder(Toolchain toolchain, BuildCache cache, ModuleSources sources, Log log) {
        this.toolchain = toolchain;
        this.cache = cache;
        this.sources = sources;
        this.runner = new ProcessRunner(log);
        this.log = log;
    }

    /** What the library's build depends on: its key is the output's, and the modules that link it include it in theirs. */
    public BuildInputs inputs(CLibrarySpec c) {
        BuildInputs in = new BuildInputs().put("recipe", RECIPE).put("toolchain", toolchain.fingerprint()).put("name", c.name())
                .put("version", String.valueOf(c.version())).put("buildSystem", c.buildSystem()).put("options", c.options().toString());
        c.acceptedArchives().forEach(a -> in.put("archive." + a.fileName(), a.sha256()));
        for (int i = 0; i < c.patches().size(); i++) {
            in.put("patch." + i + "." + c.patches().get(i).getFileName(), org.faasm.python.host.util.Digests.sha256(c.patches().get(i)));
        }
        return in;
    }

    /**
     * Makes {@code workDir/c-libraries/<name>} hold the library's {@code include/} and {@code lib/}
     * and returns that directory.
     *
     * @param workDir the module bundle's build area; the library's sources and build go under it
     */
    public Path build(CLibrarySpec c, Path workDir, Path logDir) {
        Path out = workDir.resolve("c-libraries").resolve(c.name());
        String what = "C library " + c.name() + (c.version() == null ? "" : " " + c.version());
        cache.materialise(KeyedOutput.directory(what, out, inputs(c)), "c-library", what, null, tmp -> make(c, workDir, logDir, tmp));
        return out;
    }

    private void make(CLibrarySpec c, Path workDir, Path logDir, Path tmp) throws IOException {
        long t0 = System.nanoTime();
        Path work = workDir.resolve("c-library-build").resolve(c.name());
        FileTrees.deleteRecursively(work);
        Files.createDirectories(logDir);
        Path logFile = logDir.resolve("c-library-" + c.name() + ".log");
        Files.deleteIfExists(logFile);
        Path archive = sources.cLibrary(c);
        Path src = work.resolve("src");
        SourceTree.prepare("sha256:" + org.faasm.python.host.util.Digests.sha256(archive), archive, null, c.patches(), src, runner, logFile, log);
        String buildFile = c.buildSystem().equals("make") ? "Makefile" : "CMakeLists.txt";
        if (!Files.isRegularFile(src.resolve(buildFile))) {
            throw new FaasmException("C library " + c.name() + " is built with " + c.buildSystem() + ", and its source " + archive.getFileName()
                    + " has no " + buildFile, c.where(), "pin the library's source that carries " + buildFile + ", or another build system");
        }
        String cflags = PathMaps.cflags(PathMaps.of(workDir, PathMaps.MODULE), toolchain);
        Path install = work.resolve("install");
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : List.of("CC", "CXX", "CFLAGS", "CXXFLAGS", "LDFLAGS", "CPPFLAGS", "CMAKE_PREFIX_PATH", "CMAKE_TOOLCHAIN_FILE", "MAKEFLAGS")) {
            env.put(k, null);
        }
        env.put("SOURCE_DATE_EPOCH", PathMaps.SOURCE_DATE_EPOCH);
        String step = "C library " + c.name() + ": ";
        try {
            if (c.buildSystem().equals("make")) {
                runner.run(step + "make (wasm32-wasi)", makeCommand(toolchain, cflags, c.options()), src, env, logFile);
                List<String> installCmd = new ArrayList<>(List.of("make"));
                installCmd.addAll(makeArguments(toolchain, cflags, c.options()));
                installCmd.addAll(List.of("PREFIX=" + install, "install"));
                runner.run(step + "make install", installCmd, src, env, logFile);
            } else {
                Path toolchainFile = work.resolve("wasm32-wasi.cmake");
                Files.writeString(toolchainFile, toolchainFile(toolchain, cflags));
                Path build = work.resolve("build");
                List<String> configure = new ArrayList<>(List.of("cmake", "-S", src.toString(), "-B", build.toString(), "-G", "Unix Makefiles",
                        "-DCMAKE_TOOLCHAIN_FILE=" + toolchainFile, "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_SHARED_LIBS=OFF", "-DBUILD_TESTING=OFF",
                        "-DCMAKE_INSTALL_PREFIX=" + install, "-DCMAKE_INSTALL_LIBDIR=lib", "-DCMAKE_INSTALL_INCLUDEDIR=include"));
                configure.addAll(c.options());
                runner.run(step + "cmake configure (wasm32-wasi)", configure, work, env, logFile);
                runner.run(step + "cmake build", List.of("cmake", "--build", build.toString(), "-j", String.valueOf(jobs())), work, env, logFile);
                runner.run(step + "cmake install", List.of("cmake", "--install", build.toString()), work, env, logFile);
            }
        } catch (FaasmException e) {
            String tool = c.buildSystem();
            if (e.getMessage() != null && e.getMessage().contains("Cannot run program \"" + tool + "\"")) {
                throw new FaasmException("C library " + c.name() + " is built with " + tool + ", which is not installed", c.where(),
                        "install it (Debian/Ubuntu: apt-get install " + tool + ")", e);
            }
            String compileError = ModuleBuilder.firstCompileError(src, logFile);
            throw new FaasmException("C library " + c.name() + " does not build for wasm32-wasi"
                    + (compileError == null ? ": " + e.getMessage() : ": " + compileError), logFile.toString(),
                    "read the full log at " + logFile + "; fix the <options> or <patches> of the <cLibrary> in " + c.where() + ", or leave it out", e);
        }
        List<String> libs = staticLibraries(install.resolve("lib"));
        if (libs.isEmpty() || !Files.isDirectory(install.resolve("include"))) {
            throw new FaasmException("C library " + c.name() + " installed no static library (lib/*.a) or no headers (include/)", logFile.toString(),
                    "check its <options>: it must build a static library (cmake: BUILD_SHARED_LIBS=OFF; make: the library's own"
                            + " variable for no shared library) and install it");
        }
        Files.createDirectories(tmp.resolve("lib"));
        for (String lib : libs) {
            ModuleBuilder.checkWasmArchive(install.resolve("lib").resolve(lib), "The static library " + lib + " of C library " + c.name(),
                    "the library was compiled for the host: its build must use the compiler given (CMAKE_C_COMPILER, CC)", "read the library's build log");
            // a link (libopenblas.a -> libopenblas_<core>-r<version>.a) is kept as a copy under its own name
            Files.copy(install.resolve("lib").resolve(lib), tmp.resolve("lib").resolve(lib));
        }
        FileTrees.copyTree(install.resolve("include"), tmp.resolve("include"));
        log.info(String.format("%s %s built in %.1f s: %s", "C library", c.name(), (System.nanoTime() - t0) / 1e9, String.join(", ", libs)));
    }

    private static int jobs() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The make run: {@code make -j<n>}, the WASI compiler (with the fixed-name flags) as {@code CC},
     * LLVM's archiver, the build machine's {@code cc} as {@code HOSTCC} (for a generator a build
     * compiles and runs, as OpenBLAS's getarch), then the declared variables and targets.
     */
    static List<String> makeCommand(Toolchain toolchain, String cflags, List<String> options) {
        List<String> cmd = new ArrayList<>(List.of("make", "-j" + jobs()));
        cmd.addAll(makeArguments(toolchain, cflags, options));
        return cmd;
    }

    /** The arguments of every make run (the build's and the install's): the tools, then the declared variables and targets. */
    private static List<String> makeArguments(Toolchain toolchain, String cflags, List<String> options) {
        List<String> args = new ArrayList<>(List.of("CC=" + String.join(" ", toolchain.cc()) + (cflags.isBlank() ? "" : " " + cflags),
                "AR=" + toolchain.ar(), "RANLIB=" + toolchain.ranlib(), "HOSTCC=cc"));
        args.addAll(options);
        return args;
    }

    /**
     * The static libraries directly in {@code lib}: each {@code *.a}, except a file another one
     * links to (the link's name is the one a build asks for, {@code -lopenblas}).
     */
    static List<String> staticLibraries(Path lib) throws IOException {
        if (!Files.isDirectory(lib)) {
            return List.of();
        }
        List<Path> all;
        try (var s = Files.list(lib)) {
            all = s.filter(f -> f.getFileName().toString().endsWith(".a") && Files.isRegularFile(f)).sorted().toList();
        }
        java.util.Set<Path> linkedTo = new java.util.HashSet<>();
        for (Path f : all) {
            if (Files.isSymbolicLink(f)) {
                linkedTo.add(f.toRealPath());
            }
        }
        List<String> out = new ArrayList<>();
        for (Path f : all) {
            if (Files.isSymbolicLink(f) || !linkedTo.contains(f.toRealPath())) {
                out.add(f.getFileName().toString());
            }
        }
        return out;
    }

    /** A CMake toolchain file for wasm32-wasi with this toolchain: static libraries, try-compiles without linking. */
    static String toolchainFile(Toolchain t, String cflags) {
        return """
                # faasm-python: cross-compiling for wasm32-wasi (WASI has no shared libraries)
                set(CMAKE_SYSTEM_NAME Generic)
                set(CMAKE_SYSTEM_PROCESSOR wasm32)
                set(CMAKE_C_COMPILER "%1$s")
                set(CMAKE_C_COMPILER_TARGET %2$s)
                set(CMAKE_CXX_COMPILER "%3$s")
                set(CMAKE_CXX_COMPILER_TARGET %2$s)
                set(CMAKE_SYSROOT "%4$s")
                set(CMAKE_AR "%5$s" CACHE FILEPATH "")
                set(CMAKE_RANLIB "%6$s" CACHE FILEPATH "")
                set(CMAKE_C_FLAGS_INIT "%7$s")
                set(CMAKE_CXX_FLAGS_INIT "%7$s")
                set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
                set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
                set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
                set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
                """.formatted(t.clang(), Toolchain.TARGET, t.clangxx(), t.sysroot(), t.ar(), t.ranlib(), cflags);
    }
}
