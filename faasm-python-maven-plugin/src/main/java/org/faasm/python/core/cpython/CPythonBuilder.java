package org.faasm.python.core.cpython;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.faasm.python.core.FaasmPaths;
import org.faasm.python.core.build.BuildCache;
import org.faasm.python.core.build.PathMaps;
import org.faasm.python.core.build.ProcessRunner;
import org.faasm.python.core.sources.BundledPins;
import org.faasm.python.core.sources.Downloader;
import org.faasm.python.core.sources.GitSource;
import org.faasm.python.core.sources.SourceCache;
import org.faasm.python.core.sources.SourcePin;
import org.faasm.python.core.sources.SourceResolver;
import org.faasm.python.core.toolchain.HostEnvironment;
import org.faasm.python.core.toolchain.Toolchain;
import org.faasm.python.core.toolchain.ToolchainLocator;
import org.faasm.python.core.toolchain.WasiLibc;
import org.faasm.python.core.util.Commands;
import org.faasm.python.core.BuildSetting;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.keyed.KeyedOutput;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * Builds CPython for wasm32-wasi, step by step, reusing finished work: the toolchain, the verified
 * sources, the native build python (the original {@code cpython.native}) and the cross build (the
 * original {@code cpython.wasm}). Each step is memoised in this object; mojos of one module share one
 * instance.
 */
public final class CPythonBuilder {
    /** Bump when the build recipe below changes in a way that changes its outputs. */
    static final String NATIVE_RECIPE = "native-3-hash-pycs";
    static final String WASM_RECIPE = "wasm-6-maps-by-name";
    static final String WASI_LIBC_RECIPE = "wasi-libc-1";

    private final CPythonRequest request;
    private final HostEnvironment host;
    private final Log log;
    private final ProcessRunner runner;

    private Toolchain toolchain;
    private SourcePin cpythonPin;
    private SourcePin zlibPin;
    private SourceRef cpython;
    private SourceRef zlib;
    private Path nativePython;

    public CPythonBuilder(CPythonRequest request, HostEnvironment host, Log log) {
        this.request = request;
        this.host = host;
        this.log = log;
        this.runner = new ProcessRunner(log);
    }

    public CPythonRequest request() {
        return request;
    }

    /** A verified source: its content id and either an archive or a git checkout. */
    public record SourceRef(String label, String id, Path archive, Path checkout, List<Path> patches) {}

    /** The finished wasm32-wasi tree. */
    public record WasmOutputs(Path root, String key, String pythonVersion, boolean rebuilt) {
        public Path pythonWasm() {
            return root.resolve("bin/python.wasm");
        }

        public String pythonMajorMinor() {
            return pythonVersion.substring(0, pythonVersion.lastIndexOf('.'));
        }

        public Path stdlib() {
            return root.resolve("lib/python" + pythonMajorMinor());
        }

        public Path libpython() {
            return root.resolve("lib/libpython" + pythonMajorMinor() + ".a");
        }

        public Path includeDir() {
            return root.resolve("include/python" + pythonMajorMinor());
        }
    }

    public Toolchain toolchain() {
        if (toolchain == null) {
            // a wasi-sdk named by the parameter brings its own wasi-libc
            WasiLibc libc = request.toolchainPath() != null ? null : cpythonPin().relatedPin("wasiLibc").map(this::wasiLibc).orElse(null);
            toolchain = new ToolchainLocator(host, request.cacheDirectory(), libc).locate(request.toolchainPath(), request.clangVersion());
            log.info("WASI toolchain: " + toolchain.describe());
            log.info("wasm-opt: " + (toolchain.wasmOpt() != null ? toolchain.wasmOpt() : "not found (install binaryen to optimise)"));
        }
        return toolchain;
    }

    /**
     * wasi-libc from its pin, built once per clang into the build cache: what a Debian toolchain links
     * against when the CPython pin names it (a wasi-sdk brings its own).
     */
    private WasiLibc wasiLibc(Path pinFile) {
        SourcePin pin = SourcePin.load(pinFile);
        String id = withPatches(pinId(pin), pin.patches());
        return new WasiLibc() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Path provide(Toolchain compiler) {
                BuildInputs inputs = new BuildInputs()
                        .put("recipe", WASI_LIBC_RECIPE)
                        .put("wasi-libc.source", id)
                        .put("toolchain", compiler.versionLine())
                        .put("toolchain.fingerprint", compiler.fingerprint());
                return buildCache().obtain("wasi-libc", "wasi-libc " + pin.version() + " built with " + compiler.versionLine(), inputs,
                        tmp -> buildWasiLibc(pin, compiler, tmp));
            }
        };
    }

    /** wasi-libc's own Makefile (which also checks the symbols it exports against its expected lists). */
    private void buildWasiLibc(SourcePin pin, Toolchain compiler, Path tmp) throws IOException {
        requireBuildablePath(request.workDirectory());
        SourceResolver.Resolved r = resolver().resolve(pin, null, "faasm.cpythonPin");
        Path logFile = request.logDirectory().resolve("wasi-libc.log");
        Path src = SourceTree.prepare(withPatches(pinId(pin), pin.patches()), r.file(), null, pin.patches(),
                request.workDirectory().resolve("src/wasi-libc"), runner, request.logDirectory().resolve("sources.log"), log);
        Path buildDir = request.workDirectory().resolve("wasi-libc-build");
        FileTrees.deleteRecursively(buildDir);
        FileTrees.copyTree(src, buildDir);
        Files.deleteIfExists(logFile);
        String nm = compiler.ar().getFileName().toString().replace("llvm-ar", "llvm-nm");
        Path sysroot = buildDir.resolve("sysroot");
        runner.run("wasi-libc: make -j" + request.jobs(), List.of(compiler.make().toString(), "-j" + request.jobs(),
                "CC=" + compiler.clang(), "AR=" + compiler.ar(), "NM=" + compiler.ar().resolveSibling(nm), "SYSROOT=" + sysroot),
                buildDir, Map.of("SOURCE_DATE_EPOCH", PathMaps.SOURCE_DATE_EPOCH), logFile);
        FileTrees.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        Files.move(sysroot.resolve("include"), tmp.resolve("include"));
        Files.move(sysroot.resolve("lib"), tmp.resolve("lib"));
        FileTrees.deleteRecursively(buildDir);
    }

    /** The resolver for pinned source archives: the user cache, downloads unless offline. */
    public SourceResolver resolver() {
        return new SourceResolver(new SourceCache(FaasmPaths.sources(request.cacheDirectory()), log), new Downloader(log),
                request.offline(), log);
    }

    /** The CPython pin: the file the request names, else the one bundled in the plugin. */
    public SourcePin cpythonPin() {
        if (cpythonPin == null) {
            cpythonPin = pin(request.cpythonPin(), "cpython");
        }
        return cpythonPin;
    }

    /** The zlib pin: the file the request names, else the one bundled in the plugin. */
    public SourcePin zlibPin() {
        if (zlibPin == null) {
            zlibPin = pin(request.zlibPin(), "zlib");
        }
        return zlibPin;
    }

    private SourcePin pin(Path file, String name) {
        if (file != null) {
            return SourcePin.load(file);
        }
        SourcePin pin = new BundledPins(FaasmPaths.pins(request.cacheDirectory())).load(name);
        log.debug(pin.label() + ": the pin bundled in the plugin (" + pin.file() + ")");
        return pin;
    }

    public SourceRef cpythonSource() {
        if (cpython == null) {
            SourcePin pin = cpythonPin();
            if (request.gitUrl() != null) {
                GitSource.Checkout c = new GitSource(FaasmPaths.git(request.cacheDirectory()), request.offline(), log)
                        .checkout(request.gitUrl(), request.gitRef(), BuildSetting.GIT_REF);
                cpython = new SourceRef("cpython (git " + request.gitUrl() + ")", withPatches("git:" + c.commit(), pin.patches()), null,
                        c.tree(), pin.patches());
            } else {
                SourceResolver.Resolved r = resolver().resolve(pin, request.cpythonArchive(), "faasm.cpython.archive");
                cpython = new SourceRef(pin.label(), sourceId(pin), r.file(), null, pin.patches());
            }
        }
        return cpython;
    }

    public SourceRef zlibSource() {
        if (zlib == null) {
            SourcePin pin = zlibPin();
            SourceResolver.Resolved r = resolver().resolve(pin, request.zlibArchive(), "faasm.zlib.archive");
            zlib = new SourceRef(pin.label(), sourceId(pin), r.file(), null, pin.patches());
        }
        return zlib;
    }

    /**
     * A pinned source's id for build keys: the digests of every archive the pin accepts (they carry
     * the same sources), not of the one this machine happened to get, so every machine computes the
     * same key whichever mirror it reached.
     */
    static String pinId(SourcePin pin) {
        return "pin:" + String.join(",", pin.archives().stream().map(a -> "sha256:" + a.sha256()).sorted().toList());
    }

    /** A pinned source's id with its patches: the same for a pin wherever its file lives (third-party/, the plugin's copy). */
    static String sourceId(SourcePin pin) {
        return withPatches(pinId(pin), pin.patches());
    }

    private static String withPatches(String id, List<Path> patches) {
        StringBuilder sb = new StringBuilder(id);
        for (Path p : patches) {
            sb.append("+patch:").append(p.getFileName()).append('@').append(Digests.sha256(p));
        }
        return sb.toString();
    }

    private Path preparedCPythonSource() {
        SourceRef src = cpythonSource();
        Path dir = SourceTree.prepare(src.id(), src.archive(), src.checkout(), src.patches(),
                request.workDirectory().resolve("src/cpython"), runner, request.logDirectory().resolve("sources.log"), log);
        try {
            // the WASI build reads an (empty) Setup.local
            Path setupLocal = dir.resolve("Modules/Setup.local");
            if (!Files.exists(setupLocal)) {
                Files.createFile(setupLocal);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    // ------------------------------------------------------------------ native build python

    BuildInputs nativeInputs() {
        return new BuildInputs()
                .put("recipe", NATIVE_RECIPE)
                .put("cpython.source", cpythonSource().id())
                .put("host.cc", hostCcVersion())
                .put("host.platform", System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
    }

    /** The installed native build python of the same version (its prefix; the interpreter is bin/python3). */
    public Path nativePython() {
        if (nativePython == null) {
            nativePython = buildCache().obtain("native-python", "Native build python " + cpythonSource().label(), nativeInputs(),
                    this::buildNative);
        }
        return nativePython;
    }

    /**
     * Configured for a fixed prefix and installed with DESTDIR: the interpreter finds its standard
     * library next to itself wherever the entry lives (this cache or a teammate's).
     */
    private void buildNative(Path tmp) throws IOException {
        requireBuildablePath(request.workDirectory());
        Path src = preparedCPythonSource();
        Path buildDir = request.workDirectory().resolve("native-build");
        Path destdir = request.workDirectory().resolve("native-install");
        Path logFile = request.logDirectory().resolve("native-python.log");
        FileTrees.deleteRecursively(buildDir);
        FileTrees.deleteRecursively(destdir);
        Files.deleteIfExists(logFile);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CC", toolchain().hostCc().toString());
        runner.run("native python: configure", List.of(src.resolve("configure").toString(), "--prefix=" + PathMaps.NATIVE_PYTHON), buildDir, env,
                logFile);
        runner.run("native python: make -j" + request.jobs(), List.of(toolchain().make().toString(), "-j" + request.jobs()), buildDir, env,
                logFile);
        runner.run("native python: install", List.of(toolchain().make().toString(), "install", "DESTDIR=" + destdir), buildDir, env, logFile);
        FileTrees.deleteRecursively(tmp);
        Files.move(destdir.resolve(PathMaps.NATIVE_PYTHON.substring(1)), tmp);
        // CPython's own test suite (118 MB) builds nothing: not kept, so the entry packs small for the team cache
        try (Stream<Path> s = Files.list(tmp.resolve("lib"))) {
            for (Path stdlib : s.filter(p -> p.getFileName().toString().startsWith("python3")).toList()) {
                FileTrees.deleteRecursively(stdlib.resolve("test"));
            }
        }
        // its own bytecode checked by source hash, not by modification time: valid wherever the entry
        // is unpacked (a team cache's archive keeps no mtimes). With stale timestamps the build python
        // compiled its modules from source in memory, and the sysroot's bytecode it then wrote came out
        // different (marshal's references follow what the process holds).
        try (Stream<Path> s = Files.list(tmp.resolve("lib"))) {
            for (Path stdlib : s.filter(p -> p.getFileName().toString().startsWith("python3")).toList()) {
                runner.run("native python: bytecode by source hash", List.of(tmp.resolve("bin/python3").toString(), "-m", "compileall", "-q",
                        "-f", "-j", "1", "--invalidation-mode", "unchecked-hash", "-s", tmp.toString(), "-p", PathMaps.NATIVE_PYTHON,
                        stdlib.toString()), buildDir, Map.of("PYTHONHASHSEED", "0", "PYTHONDONTWRITEBYTECODE", "1"), logFile);
            }
        }
        FileTrees.deleteRecursively(destdir);
        FileTrees.deleteRecursively(buildDir);
    }

    /** CPython's configure and Makefiles break on white space in paths: say so before anything runs. */
    static void requireBuildablePath(Path workDirectory) {
        if (workDirectory.toString().matches(".*\\s.*")) {
            throw new FaasmException("CPython cannot be built in a directory whose path has white space: " + workDirectory
                    + " (its configure and Makefiles split paths at spaces)", "the project's location (its build directory)",
                    "move the checkout to a path without spaces");
        }
    }

    /** The build cache: the user cache, then the team cache of {@link CPythonRequest#remoteCache()}. */
    public BuildCache buildCache() {
        return new BuildCache(FaasmPaths.builds(request.cacheDirectory()), request.remoteCache(), log);
    }

    private String hostCcVersion() {
        try {
            String line = Commands.run(List.of(toolchain().hostCc().toString(), "--version")).firstLine();
            return line.isEmpty() ? "unknown" : line;
        } catch (IOException e) {
            return "unknown";
        }
    }


    // ------------------------------------------------------------------ cross build

    public List<String> configureArguments(Path src, Path nativePython, Path zlibPrefix) {
        List<String> args = new ArrayList<>();
        // configure by a relative path: the source directory (VPATH, which getpath.c embeds as a
        // string) is then the same in every checkout
        args.add(request.workDirectory().resolve("wasm-build").relativize(src).resolve("configure").toString());
        args.add("-C");
        args.add("--host=" + hostTriple(SourceTree.pythonVersion(src)));
        args.add("--build=" + configGuess(src));
        args.add("--with-build-python=" + nativePython.resolve("bin/python3"));
        args.add("--prefix=/usr/local");
        args.add("--disable-ipv6");
        args.add("--disable-test-modules");
        args.add("CONFIG_SITE=" + src.resolve("Tools/wasm/config.site-wasm32-wasi"));
        // build-machine paths get fixed names in the objects (not part of the key: they differ per checkout)
        args.add("CFLAGS=" + cflags() + " " + PathMaps.cflags(pathMaps(src, nativePython), toolchain()));
        args.add("CPPFLAGS=-I" + zlibPrefix.resolve("include"));
        args.add("LDFLAGS=-L" + zlibPrefix.resolve("lib"));
        args.addAll(request.configureOptions());
        return args;
    }

    /**
     * The triple CPython documents for WASI: wasm32-wasip1 (tier 2) since 3.13, wasm32-unknown-wasi
     * before. clang itself is called with --target=wasm32-wasi, the same target, whose builtins
     * Debian's compiler-rt ships.
     */
    static String hostTriple(String pythonVersion) {
        String[] v = pythonVersion.split("\\.");
        boolean wasip1 = Integer.parseInt(v[0]) > 3 || (Integer.parseInt(v[0]) == 3 && Integer.parseInt(v[1]) >= 13);
        return wasip1 ? "wasm32-wasip1" : "wasm32-unknown-wasi";
    }

    private String cflags() {
        // clang 15+ rejects wasi-libc's pointer-typed CLOCK_* constants in timemodule.c
        String base = "-Wno-error=int-conversion";
        return request.cflags().isEmpty() ? base : base + " " + request.cflags();
    }

    private Map<String, String> crossEnv(Path zlibPrefix) {
        Toolchain t = toolchain();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CC", String.join(" ", t.cc()));
        env.put("CPP", String.join(" ", t.cc()) + " -E");
        env.put("CXX", String.join(" ", t.cxx()));
        env.put("AR", t.ar().toString());
        env.put("RANLIB", t.ranlib().toString());
        // only wasm32 .pc files: host libraries must not leak into the wasm build
        env.put("PKG_CONFIG_LIBDIR", zlibPrefix.resolve("lib/pkgconfig").toString());
        env.put("PKG_CONFIG_PATH", null);
        env.put("SOURCE_DATE_EPOCH", PathMaps.SOURCE_DATE_EPOCH);
        return env;
    }

    private String configGuess(Path src) {
        try {
            Commands.Output out = Commands.run(List.of(src.resolve("config.guess").toString()));
            if (out.exitCode() != 0 || out.text().isBlank()) {
                throw new FaasmException("config.guess failed: " + out.text().strip(), src.resolve("config.guess").toString(),
                        "check the CPython source tree");
            }
            return out.text().strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    public BuildInputs wasmInputs() {
        return new BuildInputs()
                .put("recipe", WASM_RECIPE)
                .put("cpython.source", cpythonSource().id())
                .put("zlib.source", zlibSource().id())
                .put("toolchain", toolchain().versionLine())
                .put("toolchain.fingerprint", toolchain().fingerprint())
                .put("configure.options", String.join(" ", request.configureOptions()))
                .put("cflags", cflags());
    }

    /**
     * Makes sure {@link CPythonRequest#outputDirectory()} holds the wasm32-wasi build for the current
     * inputs: already there (nothing to do), copied from the build cache (local or the team's), or built.
     */
    public WasmOutputs wasm() {
        BuildInputs inputs = wasmInputs();
        Path out = request.outputDirectory();
        Optional<Path> entry = buildCache().materialise(KeyedOutput.directory("CPython for wasm32-wasi", out, inputs), "cpython-wasm",
                "CPython for wasm32-wasi", null, this::buildWasm);
        return new WasmOutputs(out, inputs.key(), readVersion(out), entry.isPresent());
    }

    private void buildWasm(Path scratch) throws IOException {
        requireBuildablePath(request.workDirectory());
        Path nativePy = nativePython();
        Path src = preparedCPythonSource();
        Path logDir = request.logDirectory();
        Toolchain t = toolchain();
        // zlib, static, for the zlib module
        Path zlibSrc = SourceTree.prepare(zlibSource().id(), zlibSource().archive(), null, zlibSource().patches(),
                request.workDirectory().resolve("src/zlib"), runner, logDir.resolve("sources.log"), log);
        Path zlibBuild = request.workDirectory().resolve("zlib-build");
        FileTrees.deleteRecursively(zlibBuild);
        FileTrees.copyTree(zlibSrc, zlibBuild);
        Path zlibPrefix = request.workDirectory().resolve("zlib-wasm32");
        FileTrees.deleteRecursively(zlibPrefix);
        Path zlibLog = logDir.resolve("zlib-wasm32.log");
        Files.deleteIfExists(zlibLog);
        Path buildDir = request.workDirectory().resolve("wasm-build");
        Map<Path, String> maps = pathMaps(src, nativePy);
        Map<String, String> zenv = crossEnv(zlibPrefix);
        zenv.put("CHOST", "wasm32");
        zenv.put("CFLAGS", "-O3 " + PathMaps.cflags(maps, t));
        runner.run("zlib: configure", List.of("./configure", "--static", "--prefix=" + zlibPrefix), zlibBuild, zenv, zlibLog);
        runner.run("zlib: make", List.of(t.make().toString(), "-j" + request.jobs(), "libz.a"), zlibBuild, zenv, zlibLog);
        runner.run("zlib: install", List.of(t.make().toString(), "install"), zlibBuild, zenv, zlibLog);

        FileTrees.deleteRecursively(buildDir);
        Path wasmLog = logDir.resolve("cpython-wasm32.log");
        Files.deleteIfExists(wasmLog);
        Map<String, String> env = crossEnv(zlibPrefix);
        runner.run("wasm: configure", configureArguments(src, nativePy, zlibPrefix), buildDir, env, wasmLog);
        runner.run("wasm: make -j" + request.jobs(), List.of(t.make().toString(), "-j" + request.jobs()), buildDir, env, wasmLog);
        Path destdir = request.workDirectory().resolve("wasm-install");
        FileTrees.deleteRecursively(destdir);
        runner.run("wasm: install", List.of(t.make().toString(), "install", "DESTDIR=" + destdir), buildDir, env, wasmLog);

        collect(src, buildDir, destdir.resolve("usr/local"), zlibPrefix, scratch);
        rewriteSysconfigData(scratch, nativePy, maps, wasmLog);
        int scrubbed = scrubBuildPaths(scratch, maps);
        log.debug("build-machine paths replaced in " + scrubbed + " files");
        FileTrees.deleteRecursively(destdir);
    }

    /** The build-machine directories of the wasm build and their fixed names. */
    private Map<Path, String> pathMaps(Path src, Path nativePy) {
        Path work = request.workDirectory();
        return PathMaps.of(src, PathMaps.CPYTHON_SOURCE, work.resolve("wasm-build"), PathMaps.CPYTHON_BUILD, work.resolve("zlib-build"),
                PathMaps.ZLIB_SOURCE, work.resolve("zlib-wasm32"), PathMaps.ZLIB_PREFIX, nativePy, PathMaps.NATIVE_PYTHON,
                toolchain().sysroot(), PathMaps.WASI_SYSROOT);
    }

    /**
     * Rewrites the sysconfig data with build-machine directories replaced in its values, printed
     * again the way CPython prints it. (Replacing text in the printed file is not enough: pprint
     * wraps long strings by their length, so a longer checkout path gave other line breaks.)
     */
    private void rewriteSysconfigData(Path root, Path nativePy, Map<Path, String> maps, Path logFile) throws IOException {
        List<String> command = new ArrayList<>(List.of(nativePy.resolve("bin/python3").toString(), "-I", "-c", SYSCONFIG_REWRITE, ""));
        PathMaps.ordered(maps).forEach(e -> command.addAll(List.of(e.getKey().toString(), e.getValue())));
        try (DirectoryStream<Path> stdlibs = Files.newDirectoryStream(root.resolve("lib"), "python*")) {
            for (Path stdlib : stdlibs) {
                try (DirectoryStream<Path> data = Files.newDirectoryStream(stdlib, "_sysconfigdata_*.py")) {
                    for (Path file : data) {
                        command.set(4, file.toString());
                        runner.run("wasm: sysconfig data without build paths", command, root, Map.of(), logFile);
                        dropBytecode(file);
                    }
                }
            }
        }
    }

    /** Arguments: the file, then pairs of a build directory and its fixed name, in {@link PathMaps#ordered} order. */
    private static final String SYSCONFIG_REWRITE = String.join("\n",
            "import pprint, sys",
            "path, flat = sys.argv[1], sys.argv[2:]",
            "pairs = list(zip(flat[0::2], flat[1::2]))",
            "ns = {}",
            "exec(open(path, encoding='utf-8').read(), ns)",
            "def fix(v):",
            "    if isinstance(v, str):",
            "        for old, new in pairs:",
            "            v = v.replace(old, new)",
            "    return v",
            "d = {k: fix(v) for k, v in ns['build_time_vars'].items()}",
            "with open(path, 'w', encoding='utf-8') as f:",
            "    f.write('# system configuration generated and used by the sysconfig module\\n')",
            "    f.write('build_time_vars = ')",
            "    pprint.pprint(d, stream=f)",
            "");

    /** Deletes the cached bytecode of a Python file (after its text changed). */
    private static void dropBytecode(Path py) throws IOException {
        Path cache = py.resolveSibling("__pycache__");
        String prefix = py.getFileName().toString().replaceAll("\\.py$", ".");
        if (Files.isDirectory(cache)) {
            try (Stream<Path> s = Files.list(cache)) {
                for (Path pyc : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                    Files.delete(pyc);
                }
            }
        }
    }

    /**
     * Replaces build-machine directories by their fixed names in the text files of the installed
     * tree (sysconfig data, the config Makefile, pkg-config files), and drops the bytecode of the
     * files it changed (it would still hold the old text).
     */
    static int scrubBuildPaths(Path root, Map<Path, String> maps) throws IOException {
        int changed = 0;
        for (String rel : FileTrees.listFiles(root)) {
            if (FileTrees.isBytecode(rel) || rel.endsWith(".a") || rel.endsWith(".wasm")) {
                continue;
            }
            Path f = root.resolve(rel);
            byte[] bytes = Files.readAllBytes(f);
            if (bytes.length > 4 << 20 || indexOf(bytes, (byte) 0) >= 0) {
                continue;
            }
            String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
            String mapped = PathMaps.apply(text, maps);
            if (!mapped.equals(text)) {
                Files.write(f, mapped.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                changed++;
                if (rel.endsWith(".py")) {
                    dropBytecode(f);
                }
            }
        }
        return changed;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Lays out what an embedder needs: bin/python.wasm, lib/*.a, include/pythonX.Y, lib/pythonX.Y. */
    private void collect(Path src, Path buildDir, Path installed, Path zlibPrefix, Path dest) throws IOException {
        String version = SourceTree.pythonVersion(src);
        String xy = version.substring(0, version.lastIndexOf('.'));
        Files.createDirectories(dest.resolve("bin"));
        Files.createDirectories(dest.resolve("lib"));
        Files.createDirectories(dest.resolve("include"));
        Files.copy(buildDir.resolve("python.wasm"), dest.resolve("bin/python.wasm"));
        Files.copy(buildDir.resolve("libpython" + xy + ".a"), dest.resolve("lib/libpython" + xy + ".a"));
        List<Path> companions = new ArrayList<>();
        companions.add(zlibPrefix.resolve("lib/libz.a"));
        try (Stream<Path> s = Files.walk(buildDir.resolve("Modules"))) {
            s.filter(p -> p.getFileName().toString().endsWith(".a")).sorted().forEach(companions::add);
        }
        for (Path lib : companions) {
            Files.copy(lib, dest.resolve("lib").resolve(lib.getFileName()));
        }
        FileTrees.copyTree(installed.resolve("include/python" + xy), dest.resolve("include/python" + xy));
        FileTrees.copyTree(installed.resolve("lib/python" + xy), dest.resolve("lib/python" + xy));
        Files.writeString(dest.resolve("VERSION"), version + "\n");
    }

    static String readVersion(Path out) {
        try {
            return Files.readString(out.resolve("VERSION")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the build in " + out + " has no VERSION file", e);
        }
    }
}
