package org.faasm.python.core.entrypoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.faasm.python.core.build.BuildCache;
import org.faasm.python.core.build.PathMaps;
import org.faasm.python.core.build.ProcessRunner;
import org.faasm.python.core.cpython.CPythonBuilder.WasmOutputs;
import org.faasm.python.core.toolchain.Toolchain;
import org.faasm.python.core.util.Commands;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.keyed.KeyedOutput;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * Links the Faasm entrypoint ({@code py_func.wasm}, a WASI reactor) from its C sources against
 * libpython and the companion static libraries, with the same memory layout as {@code python.wasm},
 * then optimises it with binaryen's wasm-opt when installed. Relinks only when an input changes.
 */
public final class EntrypointLinker {
    static final String RECIPE = "entrypoint-7-cxx";
    /** The entrypoint's file in its build-cache entry. */
    static final String FILE = "py_func.wasm";
    /** The linker flags CPython's WASI build uses for python.wasm (the stack size matters). */
    static final List<String> LDFLAGS = List.of("-z", "stack-size=524288", "-Wl,--stack-first", "-Wl,--initial-memory=10485760");
    /**
     * wasi-libc's libraries, as CPython links python.wasm; printf and scanf of long double (NumPy's
     * longdouble) live in their own one. libdl's dlopen always fails on WASI, but CPython 3.13 finds
     * <dlfcn.h> in a current wasi-libc and calls it (never for a built-in module).
     */
    static final List<String> SYSTEM_LIBS = List.of("-lm", "-ldl", "-lwasi-emulated-signal", "-lwasi-emulated-getpid",
            "-lwasi-emulated-process-clocks", "-lc-printscan-long-double", "-lc++", "-lc++abi");

    /**
     * C++ extensions (NumPy 2's pocketfft, its sorts) need libc++ and libc++abi, which are linked
     * member by member as needed (nothing for C alone). libc++abi for wasm32-wasi is built without
     * exception support and has no {@code __cxa_throw}; a {@code throw} in C++ compiled without
     * wasm exceptions calls it anyway, on error paths (out of memory, a bad argument). These weak
     * definitions end the call as {@code std::terminate} would, with a message; a libc++abi that
     * has them wins.
     */
    static final String CXX_ABI = String.join("\n",
            "/* faasm-python: C++ throw without wasm exception support ends the call (see EntrypointLinker) */",
            "#include <stdio.h>",
            "#include <stdlib.h>",
            "__attribute__((weak)) void *__cxa_allocate_exception(unsigned long size) {",
            "    void *p = malloc(size ? size : 1);",
            "    if (!p) abort();",
            "    return p;",
            "}",
            "__attribute__((weak)) void __cxa_free_exception(void *p) { free(p); }",
            "__attribute__((weak, noreturn)) void __cxa_throw(void *obj, void *type, void (*dest)(void *)) {",
            "    (void) obj; (void) type; (void) dest;",
            "    fputs(\"fatal: a C++ exception was thrown; this WASI build has no exception support\\n\", stderr);",
            "    abort();",
            "}", "");

    private final Toolchain toolchain;
    private final BuildCache cache;
    private final ProcessRunner runner;
    private final Log log;

    public EntrypointLinker(Toolchain toolchain, BuildCache cache, Log log) {
        this.toolchain = toolchain;
        this.cache = cache;
        this.runner = new ProcessRunner(log);
        this.log = log;
    }

    /**
     * @param sources directory with the entrypoint's .c and .h files
     * @param generatedSources generated C files to compile too (the C extension table)
     * @param extraArchives static archives of C extensions to link in (may be empty)
     * @param out the py_func.wasm to write
     * @return {@code out}
     */
    public Path link(WasmOutputs python, Path sources, List<Path> generatedSources, List<Path> extraArchives, Path out, Path workDir,
            Path logFile) {
        List<Path> cFiles = new ArrayList<>(sourceFiles(sources, ".c"));
        if (cFiles.isEmpty()) {
            throw new FaasmException("No entrypoint C sources in " + sources, sources.toString(),
                    "point <entrypointSources> at the directory with py_func.c");
        }
        List<Path> archives = new ArrayList<>();
        archives.add(python.libpython());
        try (Stream<Path> s = Files.list(python.root().resolve("lib"))) {
            s.filter(p -> p.getFileName().toString().endsWith(".a") && !p.equals(python.libpython())).sorted().forEach(archives::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        archives.addAll(extraArchives);
        cFiles.addAll(generatedSources);

        BuildInputs inputs = new BuildInputs().put("recipe", RECIPE).put("python.build", python.key())
                .put("toolchain", toolchain.fingerprint()).put("wasm-opt", wasmOptVersion());
        for (Path p : sourceFiles(sources, "")) {
            inputs.put("source." + p.getFileName(), Digests.sha256(p));
        }
        for (Path g : generatedSources) {
            inputs.put("generated." + g.getFileName(), Digests.sha256(g));
        }
        for (Path a : extraArchives) {
            inputs.put("archive." + a.getFileName(), Digests.sha256(a));
        }
        String what = "Entrypoint " + out.getFileName();
        cache.materialise(KeyedOutput.file(what, out, workDir.resolve(out.getFileName() + ".key"), inputs), "entrypoint", what, FILE,
                tmp -> linkInto(python, sources, cFiles, archives, tmp.resolve(FILE), workDir, logFile));
        return out;
    }

    private void linkInto(WasmOutputs python, Path sources, List<Path> cFiles, List<Path> archives, Path result, Path workDir,
            Path logFile) throws IOException {
        Files.createDirectories(workDir);
        Path linked = workDir.resolve("py_func.linked.wasm");
        Files.deleteIfExists(logFile);
        // compile with -O2, link without -O: clang would otherwise run wasm-opt itself with
        // unbounded inlining (see wasmOptArguments)
        List<String> link = new ArrayList<>(toolchain.cc());
        link.add("-mexec-model=reactor");
        Path cxxAbi = workDir.resolve("faasm_cxx_abi.c");
        Files.writeString(cxxAbi, CXX_ABI);
        cFiles = new ArrayList<>(cFiles);
        cFiles.add(cxxAbi);
        for (Path c : cFiles) {
            Path obj = workDir.resolve(c.getFileName().toString().replaceAll("\\.c$", ".o"));
            List<String> compile = new ArrayList<>(toolchain.cc());
            compile.addAll(PathMaps.flags(PathMaps.of(python.root(), PathMaps.PYTHON, workDir, PathMaps.BUILD, c.getParent(),
                    PathMaps.ENTRYPOINT_SOURCES + "/" + c.getParent().getFileName()), toolchain));
            compile.addAll(List.of("-O2", "-Wall", "-I" + python.includeDir(), "-I" + sources, "-c", c.toString(), "-o", obj.toString()));
            runner.run("entrypoint: compile " + c.getFileName(), compile, workDir, Map.of("SOURCE_DATE_EPOCH", PathMaps.SOURCE_DATE_EPOCH),
                    logFile);
            link.add(obj.toString());
        }
        archives.forEach(a -> link.add(a.toString()));
        link.addAll(SYSTEM_LIBS);
        link.addAll(LDFLAGS);
        link.addAll(List.of("-o", linked.toString()));
        try {
            runner.run("entrypoint: link py_func.wasm", link, workDir, Map.of(), logFile);
        } catch (FaasmException e) {
            throw undefinedSymbols(logFile, e);
        }
        long linkedBytes = Files.size(linked);
        boolean optimised = false;
        if (toolchain.wasmOpt() != null) {
            List<String> wasmOpt = new ArrayList<>(List.of(toolchain.wasmOpt().toString()));
            wasmOpt.addAll(wasmOptArguments());
            wasmOpt.addAll(List.of(linked.toString(), "-o", result.toString()));
            runner.run("entrypoint: wasm-opt -O2", wasmOpt, workDir, Map.of(), logFile);
            optimised = true;
        } else {
            log.warn("wasm-opt not found: py_func.wasm is not optimised (install binaryen)");
            Files.copy(linked, result);
        }
        long finalBytes = Files.size(result);
        log.info(String.format("py_func.wasm: %.1f MB linked, %.1f MB %s", linkedBytes / 1e6, finalBytes / 1e6,
                optimised ? "after wasm-opt -O2" : "(not optimised)"));
    }

    /** A C extension's archive needs a symbol nothing defines: wasm-ld names the archive, its member and the symbol. */
    private static final java.util.regex.Pattern UNDEFINED = java.util.regex.Pattern.compile(
            "wasm-ld[^:]*: error: (?:.*/)?libpyext-(.+?)\\.a\\((.*?)\\): undefined symbol: (\\S+)");
    /** Calls of POSIX that WASI (preview 1) does not have. */
    private static final java.util.Set<String> NOT_IN_WASI = java.util.Set.of("fork", "vfork", "execv", "execve", "execvp", "waitpid", "wait",
            "kill", "sigaction", "signal", "raise", "socket", "connect", "bind", "listen", "accept", "getpwnam", "getpwuid", "getgrgid",
            "dlopen", "dlsym", "popen", "system", "setuid", "getuid", "pipe", "dup", "dup2", "mmap", "shmget", "semop", "getifaddrs");

    /**
     * Turns a link that failed on C extensions' undefined symbols into an error naming each
     * extension, the symbols and why (threads, calls WASI lacks, or a library nobody declared).
     */
    static FaasmException undefinedSymbols(Path logFile, FaasmException cause) {
        Map<String, java.util.TreeSet<String>> byExtension = new java.util.TreeMap<>();
        try {
            for (String line : Files.readAllLines(logFile)) {
                java.util.regex.Matcher m = UNDEFINED.matcher(line.trim());
                if (m.find()) {
                    byExtension.computeIfAbsent(m.group(1), k -> new java.util.TreeSet<>()).add(m.group(3));
                }
            }
        } catch (IOException e) {
            return cause;
        }
        if (byExtension.isEmpty()) {
            return cause;
        }
        List<String> parts = new ArrayList<>();
        byExtension.forEach((ext, symbols) -> parts.add("the C extension " + ext + " calls " + String.join(", ", symbols) + ": "
                + why(symbols)));
        return new FaasmException("py_func.wasm does not link: " + String.join("; ", parts), logFile.toString(),
                "leave the package out of the module set, or patch it (<patches>) not to use them; the link's full log is " + logFile, cause);
    }

    static String why(java.util.Set<String> symbols) {
        if (symbols.stream().anyMatch(s -> s.startsWith("pthread_"))) {
            return "it needs threads, which wasm32-wasi does not have (its pthread.h declares them, no library defines them)";
        }
        if (symbols.stream().anyMatch(NOT_IN_WASI::contains)) {
            return "calls WASI does not have (processes, signals, sockets, users, dynamic loading)";
        }
        return "no library linked into py_func.wasm defines them (a C library the package needs: declare it as a <cLibrary> of its module)";
    }

    /** wasm-opt's version (its output differs between binaryen releases), or "none". */
    private String wasmOptVersion() {
        if (toolchain.wasmOpt() == null) {
            return "none";
        }
        try {
            return Commands.run(List.of(toolchain.wasmOpt().toString(), "--version")).firstLine();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * wasm-opt's flags. By default binaryen inlines every function that has a single caller, however
     * large; that grows CPython's eval loop past the 64 KB a JVM method may have, so Endive's
     * compiler falls back to interpreting it (several times slower). Bounding single-caller
     * inlining keeps the size gain of -O2 (21 MB to 5.8 MB) and a compilable eval loop.
     */
    static List<String> wasmOptArguments() {
        return List.of("-O2", "--one-caller-inline-max-function-size=20", "--strip-dwarf");
    }

    private static List<Path> sourceFiles(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String rel : FileTrees.listFiles(dir)) {
            if (rel.endsWith(suffix) && !rel.contains("/")) {
                out.add(dir.resolve(rel));
            }
        }
        return out;
    }
}
