package org.faasm.python.core.modules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.faasm.python.core.build.BuildCache;
import org.faasm.python.core.build.PathMaps;
import org.faasm.python.core.build.ProcessRunner;
import org.faasm.python.core.cpython.CPythonBuilder.WasmOutputs;
import org.faasm.python.core.cpython.SourceTree;
import org.faasm.python.core.sources.ArchiveExtractor;
import org.faasm.python.core.sources.ArchivePin;
import org.faasm.python.core.sources.SourceResolver;
import org.faasm.python.core.toolchain.Toolchain;
import org.faasm.python.core.wheel.WheelInstaller;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.keyed.KeyedOutput;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * Cross-builds a module set into a {@link ModuleBundle} (the original {@code modules.build}):
 * sources are fetched and verified ({@link ModuleSources}), setup.py runs under the native build python in a
 * {@link CrossEnvironment}, C extensions become static archives, and the installed files are
 * checked: nothing built for the host may land in the bundle. The bundle is built under a
 * temporary name, published by rename, and rebuilt only when an input changes.
 */
public final class ModuleBuilder {
    static final String RECIPE = "modules-8-cxxflags";

    /**
     * Runs setup.py after importing setuptools, as pip does: setuptools then provides
     * {@code distutils} (its own copy), which a setup.py written for it imports (pyaes's does) and
     * which the standard library no longer has. Debian builds that setuptools with its patch for
     * Debian's own install layout, which reads the {@code install_layout} and {@code prefix_option}
     * options that only Debian's Python defines: they are defined here as unset, as Debian's Python
     * leaves them by default (for setup.py and for {@code setuptools.build_meta} alike).
     */
    static final String DEBIAN_LAYOUT = "import setuptools; from distutils.command.install import install; "
            + "install.install_layout = getattr(install, 'install_layout', None); "
            + "install.prefix_option = getattr(install, 'prefix_option', None)";

    /** setup.py, run as pip runs it, with {@link #DEBIAN_LAYOUT} first. */
    static final String SETUP_SHIM = "import sys, tokenize; " + DEBIAN_LAYOUT + "; sys.argv[0] = __file__ = 'setup.py'; "
            + "f = tokenize.open(__file__); code = f.read(); f.close(); exec(compile(code, __file__, 'exec'))";

    /**
     * setuptools for every setup.py build: CPython 3.12 dropped distutils and its ensurepip no longer
     * installs setuptools, so the build python has none of its own. The upstream 78.1.1 wheel as
     * Debian ships it for venv (python3-setuptools-whl: with everything it vendors, which Debian's
     * python3-setuptools leaves out and depends on instead).
     */
    static final List<ModuleSpec.BuildRequirement> SETUP_REQUIREMENTS = List.of(
            new ModuleSpec.BuildRequirement("setuptools", "78.1.1", new ArchivePin("debian", "python3-setuptools-whl_78.1.1-0.1_all.deb",
                    "0caf134e73ab90ffeaa5ce2529d73ea7d48078b2a9251ed9d1b7b514a61e9483",
                    List.of("http://deb.debian.org/debian/pool/main/s/setuptools/python3-setuptools-whl_78.1.1-0.1_all.deb"),
                    "python3-setuptools-whl=78.1.1-0.1")));
    private static final Pattern COMPILER_ERROR = Pattern.compile("^(\\S+?\\.(?:c|h|cc|cpp|cxx|hpp)):(\\d+):(?:\\d+:)? (?:fatal )?error: (.*)$");
    /** A file in a directory made by Python's tempfile.mkdtemp (tmp and 8 characters). */
    private static final Pattern PROBE_FILE = Pattern.compile("(^|/)tmp[a-z0-9_]{8}/");
    private static final Pattern LINKER_ERROR = Pattern.compile("^(?:wasm-ld|ld|llvm-ar)[^:]*: error: (.*)$");
    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};

    /**
     * What a module's build puts on the build python's path: its declared requirements, then the
     * setuptools of {@link #SETUP_REQUIREMENTS} unless it declares its own; none for a wheel or a
     * Debian package, which are unpacked, not built.
     */
    public static List<ModuleSpec.BuildRequirement> buildRequirements(ModuleSpec s) {
        List<ModuleSpec.BuildRequirement> requirements = new ArrayList<>(s.buildRequirements());
        boolean unpacked = s.kind() == ModuleSpec.Kind.ARCHIVE && s.fileName() != null
                && (s.fileName().endsWith(".whl") || s.fileName().endsWith(".deb"));
        if (!unpacked) {
            for (ModuleSpec.BuildRequirement builder : SETUP_REQUIREMENTS) {
                if (requirements.stream().noneMatch(r -> r.name().equalsIgnoreCase(builder.name()))) {
                    requirements.add(builder);
                }
            }
        }
        return requirements;
    }

    private final Toolchain toolchain;
    private final BuildCache cache;
    private final WasmOutputs python;
    private final Path nativePython;
    private final SourceResolver resolver;
    private final ModuleSources sources;
    private final CLibraryBuilder cLibraries;
    private final boolean offline;
    private final ProcessRunner runner;
    private final Log log;

    public ModuleBuilder(Toolchain toolchain, BuildCache cache, WasmOutputs python, Path nativePython, SourceResolver resolver, boolean offline,
            Log log) {
        this.toolchain = toolchain;
        this.cache = cache;
        this.python = python;
        this.nativePython = nativePython;
        this.resolver = resolver;
        this.sources = new ModuleSources(resolver, offline);
        this.cLibraries = new CLibraryBuilder(toolchain, cache, sources, log);
        this.offline = offline;
        this.runner = new ProcessRunner(log);
        this.log = log;
    }

    /** The inputs of a build of these modules (their key is the bundle's content key). */
    public BuildInputs inputs(List<ModuleSpec> specs) {
        BuildInputs in = new BuildInputs().put("recipe", RECIPE).put("python.build", python.key()).put("toolchain", toolchain.fingerprint())
                .put("toolchain.libc++", cxxLibraryDigest()).put("builder.requirements", SETUP_REQUIREMENTS.stream().map(r -> r.archive().sha256()).toList().toString());
        for (ModuleSpec s : specs) {
            String p = "module." + s.name() + ".";
            in.put(p + "version", s.version()).put(p + "kind", s.kind().name());
            switch (s.kind()) {
                case DIRECTORY -> in.put(p + "tree", Digests.sha256(FileTrees.formatManifest(sourceManifest(s.directory()))));
                case ARCHIVE -> in.put(p + "sha256", s.sha256());
                case REQUIREMENT -> in.put(p + "requirement", s.requirement() + "@" + s.index());
            }
            for (ArchivePin a : s.alsoAccepted()) {
                in.put(p + "alsoAccepted." + a.fileName(), a.sha256());
            }
            for (ModuleSpec.BuildRequirement r : s.buildRequirements()) {
                in.put(p + "buildRequirement." + r.name(), r.archive().sha256());
            }
            for (CLibrarySpec c : s.cLibraries()) {
                in.put(p + "cLibrary." + c.name(), cLibraries.inputs(c).key());
            }
            if (!s.preBuild().isEmpty()) {
                in.put(p + "preBuild", s.preBuild().toString());
            }
            in.put(p + "environment", new TreeMap<>(s.environment()).toString());
            if (!s.configSettings().isEmpty()) {
                in.put(p + "configSettings", new TreeMap<>(s.configSettings()).toString());
            }
            for (Path patch : s.patches()) {
                in.put(p + "patch." + patch.getFileName(), Digests.sha256(patch));
            }
        }
        return in;
    }

    /** The digest of the toolchain's libc++ (its headers come with it; C++ sources compile against them), or "none". */
    private String cxxLibraryDigest() {
        for (String dir : List.of("lib/wasm32-wasi", "lib/wasm32-wasip1")) {
            Path lib = toolchain.sysroot().resolve(dir).resolve("libc++.a");
            if (Files.isRegularFile(lib)) {
                return Digests.sha256(lib);
            }
        }
        return "none";
    }

    /**
     * Makes {@code bundleDir} hold the build of these modules: up to date already, copied from the
     * build cache (local or the team's), or built.
     */
    public ModuleBundle buildAll(List<ModuleSpec> specs, Path bundleDir, Path workDir, Path logDir) {
        BuildInputs inputs = inputs(specs);
        String what = "Modules (" + names(specs) + ")";
        cache.materialise(KeyedOutput.directory(what, bundleDir, inputs), "modules", what, null,
                tmp -> build(specs, tmp, workDir, logDir));
        return new ModuleBundle(bundleDir);
    }

    private void build(List<ModuleSpec> specs, Path tmp, Path workDir, Path logDir) throws IOException {
        Files.createDirectories(tmp.resolve("site-packages"));
        Files.createDirectories(tmp.resolve("lib"));
        CrossEnvironment cross = CrossEnvironment.create(toolchain, python, workDir.resolve("cross"));
        // a build may record where it ran (NumPy's __config__.py names its compilers): fixed names, as in the objects
        Map<Path, String> buildPaths = PathMaps.of(toolchain.sysroot(), PathMaps.WASI_SYSROOT, python.root(), PathMaps.PYTHON, workDir,
                PathMaps.MODULE);
        Map<String, String> owners = new TreeMap<>();
        Map<String, String> extensions = new TreeMap<>();
        Map<String, String> initOwners = new TreeMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        for (ModuleSpec s : specs) {
            long t0 = System.nanoTime();
            Path work = workDir.resolve("build").resolve(s.name());
            FileTrees.deleteRecursively(work);
            Path logFile = logDir.resolve("module-" + s.name() + ".log");
            Files.deleteIfExists(logFile);
            Path installed = install(s, cross, work, logFile);
            Map<String, String> own = new TreeMap<>();
            int files = collect(s, installed, cross, tmp, owners, own, buildPaths);
            for (Map.Entry<String, String> e : own.entrySet()) {
                extensions.put(e.getKey(), e.getValue() + uniqueInit(s, e.getKey(), tmp.resolve(e.getValue()), initOwners, workDir, logFile));
            }
            versions.put(s.name(), s.version() == null ? "" : s.version());
            log.info(String.format("Module %s built in %.1f s: %d files%s", s.name(), (System.nanoTime() - t0) / 1e9, files,
                    own.isEmpty() ? "" : ", C extension " + String.join(", ", own.keySet())));
        }
        StringBuilder ext = new StringBuilder("# C extensions linked statically into py_func.wasm\n");
        extensions.forEach((m, a) -> ext.append(m).append('=').append(a).append('\n'));
        Files.writeString(tmp.resolve(ModuleBundle.EXTENSIONS), ext.toString());
        StringBuilder mods = new StringBuilder("# modules in this bundle\n");
        versions.forEach((n, v) -> mods.append(n).append('=').append(v).append('\n'));
        Files.writeString(tmp.resolve(ModuleBundle.MODULES), mods.toString());
    }

    /**
     * Claims the extension's init function; when an earlier extension has the same
     * ({@code PyInit__speedups} of Genshi and of simplejson), renames this one's in its archive and
     * returns " &lt;new name&gt;" for the extension list, else "".
     */
    private String uniqueInit(ModuleSpec s, String module, Path archive, Map<String, String> initOwners, Path workDir, Path logFile)
            throws IOException {
        String init = ExtensionTable.initFunction(module);
        String other = initOwners.putIfAbsent(init, module);
        if (other == null) {
            return "";
        }
        String renamed = InitFunctions.unique(module, init, initOwners.keySet());
        InitFunctions.rename(archive, init, renamed, toolchain.ar(), workDir.resolve("rename-init"), runner, logFile);
        initOwners.put(renamed, module);
        log.info("Module " + s.name() + ": the init function of " + module + " is renamed " + renamed + " (" + other + " defines " + init + ")");
        return " " + renamed;
    }

    private static String names(List<ModuleSpec> specs) {
        return String.join(", ", specs.stream().map(ModuleSpec::name).toList());
    }

    /** Installs one module into a scratch root and returns its site-packages directory. */
    Path install(ModuleSpec s, CrossEnvironment cross, Path work, Path logFile) throws IOException {
        Path site = work.resolve("root/site-packages");
        Files.createDirectories(site);
        switch (s.kind()) {
            case DIRECTORY -> {
                Path dir = sources.directory(s);
                Path src = work.resolve("src");
                for (String rel : sourceFiles(dir)) {
                    Path dest = src.resolve(rel);
                    Files.createDirectories(dest.getParent());
                    Files.copy(s.directory().resolve(rel), dest);
                }
                SourceTree.applyPatches(s.patches(), src, "module " + s.name() + ": ", runner, logFile);
                setupInstall(s, src, work, cross, logFile);
            }
            case ARCHIVE -> installArchive(s, sources.archive(s), work, cross, logFile);
            case REQUIREMENT -> installArchive(s, download(s, work, cross, logFile), work, cross, logFile);
        }
        return site;
    }

    private Path download(ModuleSpec s, Path work, CrossEnvironment cross, Path logFile) throws IOException {
        if (offline) {
            throw ModuleSources.offlineRequirement(s);
        }
        Path dest = work.resolve("download");
        Files.createDirectories(dest);
        // pip prepares an sdist's metadata with its build backend: with the builder's own setuptools
        // (the build python has none, and no index may be asked for one)
        List<String> cmd = new ArrayList<>(List.of(nativePython.toString(), "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                "--no-build-isolation", "--dest", dest.toString()));
        if (s.index() != null) {
            cmd.addAll(List.of("--index-url", s.index()));
        }
        cmd.add(s.requirement());
        Map<String, String> env = new LinkedHashMap<>(cross.variables());
        env.put("PYTHONPATH", RequirementPath.join(null, RequirementPath.unpack(SETUP_REQUIREMENTS, resolver, "module " + s.name(), s.where(),
                work.resolve("download-requirements"), log)));
        env.remove("_PYTHON_SYSCONFIGDATA_NAME");
        env.remove("_PYTHON_HOST_PLATFORM");
        try {
            runner.run("module " + s.name() + ": pip download " + s.requirement(), cmd, work, env, logFile);
        } catch (FaasmException e) {
            throw new FaasmException("pip could not download '" + s.requirement() + "' for module " + s.name()
                    + (s.index() == null ? "" : " from " + s.index()) + ". Last lines of the log:\n"
                    + String.join("\n", ProcessRunner.tail(logFile, 8)), logFile.toString(),
                    "check the requirement and <index> in " + s.where() + ", or pin a release archive instead", e);
        }
        List<String> files = FileTrees.listFiles(dest);
        if (files.size() != 1) {
            throw new FaasmException("pip downloaded " + files.size() + " files for '" + s.requirement() + "', expected one: " + files,
                    logFile.toString(), "make the requirement name exactly one release (name==version)");
        }
        Path file = dest.resolve(files.get(0));
        log.info("Module " + s.name() + ": downloaded " + file.getFileName() + " (sha256 " + Digests.sha256(file) + "; pin it for offline builds)");
        return file;
    }

    private void installArchive(ModuleSpec s, Path file, Path work, CrossEnvironment cross, Path logFile) throws IOException {
        String name = file.getFileName().toString();
        Path site = work.resolve("root/site-packages");
        if (name.endsWith(".whl")) {
            checkWheelName(s, name);
            List<String> top = WheelInstaller.install(file, site);
            log.info("Module " + s.name() + ": installed wheel " + name + " (" + String.join(", ", top) + ")");
        } else if (name.endsWith(".deb")) {
            Path dist = ArchiveExtractor.extractDebianPythonPackages(file, work.resolve("deb")).orElseThrow(() -> new FaasmException(
                    "Debian package " + name + " of module " + s.name() + " has no " + ArchiveExtractor.DEBIAN_PYTHON_PACKAGES, s.where(),
                    "use the python3-<name> binary package of a pure-Python module, or its source archive"));
            FileTrees.copyTree(dist, site);
            log.info("Module " + s.name() + ": unpacked " + name);
        } else if (name.matches(".*\\.(tar\\.gz|tgz|tar\\.bz2|tar\\.xz)")) {
            Path src = work.resolve("src");
            SourceTree.prepare("sha256:" + Digests.sha256(file), file, null, s.patches(), src, runner, logFile, log);
            setupInstall(s, src, work, cross, logFile);
        } else {
            throw new FaasmException("Module " + s.name() + ": cannot tell what kind of archive " + name + " is", s.where(),
                    "use an sdist (.tar.gz, .tar.bz2, .tar.xz), a wheel (.whl) or a Debian package (.deb)");
        }
    }

    /** A wheel's platform tag must be "any": a wheel built for Linux, macOS or Windows cannot run on WASI. */
    static void checkWheelName(ModuleSpec s, String name) {
        String[] parts = name.substring(0, name.length() - ".whl".length()).split("-");
        if (parts.length < 5) {
            return; // not named like a wheel (e.g. a Maven artifact): the WHEEL file's tag is checked on install
        }
        String platform = parts[parts.length - 1];
        if (!platform.equals("any")) {
            throw new FaasmException("Wheel " + name + " of module " + s.name() + " is built for another platform (" + platform
                    + "); py_func.wasm runs on wasm32-wasi", s.where(),
                    "use the package's sdist (its C code is then cross-built for wasm32-wasi) or a pure-Python wheel (*-none-any.whl)");
        }
    }

    private void setupInstall(ModuleSpec s, Path src, Path work, CrossEnvironment cross, Path logFile) {
        boolean setupPy = Files.isRegularFile(src.resolve("setup.py"));
        if (!setupPy && !Files.isRegularFile(src.resolve("pyproject.toml"))) {
            throw new FaasmException("Module " + s.name() + " has neither setup.py nor pyproject.toml", s.where(),
                    "point the module at the package's project (an sdist or its source directory), or add a setup.py with a patch (<patches>)");
        }
        List<ModuleSpec.BuildRequirement> requirements = buildRequirements(s);
        Map<String, String> env = new LinkedHashMap<>(cross.variables());
        List<Path> requirementPath = RequirementPath.unpack(requirements, resolver, "module " + s.name(), s.where(),
                work.resolve("build-requirements"), log);
        env.put("PYTHONPATH", RequirementPath.join(env.get("PYTHONPATH"), requirementPath));
        Map<String, Path> libraryPrefixes = new LinkedHashMap<>();
        for (CLibrarySpec c : s.cLibraries()) {
            // built once into the bundle's build area; the extension's archive takes its objects in (-L, -l)
            Path prefix = cLibraries.build(c, work.getParent().getParent(), logFile.getParent());
            libraryPrefixes.put(c.name(), prefix);
            env.put("CFLAGS", env.get("CFLAGS") + " -I" + prefix.resolve("include"));
            env.put("CXXFLAGS", env.get("CXXFLAGS") + " -I" + prefix.resolve("include"));
            env.put("LDFLAGS", (env.get("LDFLAGS") == null ? "" : env.get("LDFLAGS") + " ") + "-L" + prefix.resolve("lib"));
        }
        env.putAll(s.environment());
        preBuild(s, src, env, logFile);
        if (!setupPy) {
            // pyproject.toml alone: its PEP 517 backend builds a wheel, unpacked like setup.py's install
            Pep517Build.BuildSystem bs = Pep517Build.read(nativePython, src.resolve("pyproject.toml"));
            Pep517Build.check(s, bs, requirements.stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).toList());
            Map<String, Object> settings = Pep517Build.settings(s.configSettings());
            if (bs.backend().equals(Pep517Build.MESONPY)) {
                Path modulesWork = work.getParent().getParent();
                Path crossFile = MesonCross.write(toolchain, python, nativePython, PathMaps.of(python.root(), PathMaps.PYTHON,
                        modulesWork, PathMaps.MODULE), libraryPrefixes, work.resolve("meson-cross"));
                env = Pep517Build.mesonEnvironment(env, RequirementPath.join(null, requirementPath));
                env.put("PATH", crossFile.resolveSibling(MesonCross.BIN) + java.io.File.pathSeparator + System.getenv("PATH"));
                env.putAll(s.environment());
                Pep517Build.checkNinja(s, env);
                settings = Pep517Build.mesonSettings(s.configSettings(), crossFile, work.resolve("meson-build"));
            }
            Path wheel;
            try {
                wheel = Pep517Build.buildWheel(s, bs, nativePython, src, work.resolve("dist"), env, settings, runner, logFile);
            } catch (FaasmException e) {
                throw diagnose(s, src, logFile, e);
            }
            List<String> top = WheelInstaller.installCrossBuilt(wheel, work.resolve("root/site-packages"), cross.extSuffix());
            log.info("Module " + s.name() + ": built " + wheel.getFileName() + " with " + bs.backend() + " (" + String.join(", ", top) + ")");
            return;
        }
        List<String> cmd = List.of(nativePython.toString(), "-c", SETUP_SHIM, "--no-user-cfg",
                "build", "--build-base", work.resolve("build").toString(),
                "install", "--root", work.resolve("root").toString(), "--install-lib", "/site-packages",
                "--install-scripts", "/scripts", "--install-data", "/data", "--install-headers", "/headers",
                "--single-version-externally-managed", "--record", work.resolve("installed-files.txt").toString());
        try {
            runner.run("module " + s.name() + ": setup.py build install (cross wasm32-wasi)", cmd, src, env, logFile);
        } catch (FaasmException e) {
            throw diagnose(s, src, logFile, e);
        }
        // some packages (Genshi, for one) skip an optional C extension that fails to compile
        String skipped = firstCompileError(src, logFile);
        if (skipped != null) {
            log.warn("Module " + s.name() + " was built, but a C file failed to compile, so an optional extension is missing: " + skipped
                    + " (log: " + logFile + ")");
        }
    }

    /**
     * Runs the module's pre-build steps in its source tree with the build python and the build's
     * environment: what an sdist would carry and a git tree lacks (Cython's C output, for one).
     */
    private void preBuild(ModuleSpec s, Path src, Map<String, String> env, Path logFile) {
        for (String step : s.preBuild()) {
            List<String> cmd = new ArrayList<>(List.of(nativePython.toString()));
            cmd.addAll(List.of(step.substring("python ".length()).trim().split("\\s+")));
            try {
                runner.run("module " + s.name() + ": pre-build step '" + step + "'", cmd, src, env, logFile);
            } catch (FaasmException e) {
                throw new FaasmException("Module " + s.name() + ": the pre-build step '" + step + "' failed. Last lines of the log:\n"
                        + String.join("\n", ProcessRunner.tail(logFile, 8)), logFile.toString(),
                        "fix the <preBuild> step in " + s.where() + " (it runs in the source tree with the module's build requirements)", e);
            }
        }
    }

    /**
     * The first compiler error in a log, as file:line: error: message, or null. Errors in the
     * throw-away programs that configure checks compile in temporary directories (numpy.distutils
     * probes compiler flags and C++17 that way) are not the package's.
     */
    static String firstCompileError(Path src, Path logFile) {
        try {
            for (String line : Files.readAllLines(logFile)) {
                Matcher m = COMPILER_ERROR.matcher(line.trim());
                if (m.matches() && !PROBE_FILE.matcher(m.group(1)).find()) {
                    return src.resolve(m.group(1)).normalize() + ":" + m.group(2) + ": error: " + m.group(3);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Turns a failed build into an error that names the failing file and the log. */
    static FaasmException diagnose(ModuleSpec s, Path src, Path logFile, FaasmException cause) {
        String compileError = firstCompileError(src, logFile);
        if (compileError != null) {
            return new FaasmException("Module " + s.name() + " does not compile for wasm32-wasi: " + compileError, logFile.toString(),
                    "the package needs something WASI lacks (no fork/exec, signals, sockets, threads or dynamic loading); "
                    + "read the full log at " + logFile + ", then patch the source (<patches> in " + s.where()
                    + "), or leave the module out");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(logFile);
        } catch (IOException e) {
            return cause;
        }
        for (String line : lines) {
            if (line.contains("cannot run C compiled programs") || line.contains("cannot run test program while cross compiling")) {
                return new FaasmException("Module " + s.name() + " runs a configure script that must run the programs it compiles, "
                        + "which a cross build for wasm32-wasi cannot: " + line.trim(), logFile.toString(),
                        "read the full log at " + logFile + "; give the configure step its answers (<environment>, e.g. ac_cv_... "
                        + "cache variables) or a patch (<patches> in " + s.where() + "), or leave the module out");
            }
        }
        for (String line : lines) {
            Matcher l = LINKER_ERROR.matcher(line.trim());
            if (l.matches()) {
                return new FaasmException("Module " + s.name() + " does not link for wasm32-wasi: " + l.group(1), logFile.toString(),
                        "read the full log at " + logFile + "; the package needs a library WASI lacks, or patch it (<patches> in "
                        + s.where() + ")");
            }
        }
        return new FaasmException("Module " + s.name() + ": " + cause.getMessage(), logFile.toString(),
                "read the full log at " + logFile + "; fix the package (<patches>, <environment> in " + s.where() + ") or leave it out");
    }

    int collect(ModuleSpec s, Path site, CrossEnvironment cross, Path bundle, Map<String, String> owners, Map<String, String> extensions)
            throws IOException {
        return collect(s, site, cross, bundle, owners, extensions, Map.of());
    }

    /** Text files in which the build directories are replaced by their fixed names. */
    private static final Pattern TEXT_FILE = Pattern.compile(".*\\.(py|pyi|txt|json|toml|cfg|ini|pc)$");

    /**
     * Moves one module's installed files into the bundle, checking each; returns how many it took.
     *
     * @param buildPaths build directories (and their fixed names) that text files must not name
     */
    int collect(ModuleSpec s, Path site, CrossEnvironment cross, Path bundle, Map<String, String> owners, Map<String, String> extensions,
            Map<Path, String> buildPaths) throws IOException {
        int count = 0;
        List<String> mappedFiles = new ArrayList<>();
        for (String rel : FileTrees.listFiles(site)) {
            Path file = site.resolve(rel);
            if (FileTrees.isBytecode(rel)) {
                continue; // stale bytecode: the sysroot compiles its own
            }
            byte[] head = head(file);
            String target;
            if (rel.endsWith(cross.extSuffix()) && startsWith(head, CrossEnvironment.AR_MAGIC)) {
                String module = rel.substring(0, rel.length() - cross.extSuffix().length()).replace('/', '.');
                checkWasmArchive(s, file, rel);
                target = "lib/" + ModuleBundle.archiveName(module);
                extensions.put(module, target);
            } else {
                String host = hostBinaryKind(rel, head);
                if (host != null) {
                    throw new FaasmException("Module " + s.name() + " installed a file built for the host (" + host + "), not for wasm32-wasi: "
                            + rel, s.where(), "nothing built for the host may go into the sysroot; build the package from its sdist "
                            + "(its C code is then cross-built) or leave the module out");
                }
                target = "site-packages/" + rel;
            }
            String previous = owners.putIfAbsent(target, s.name());
            if (previous != null) {
                throw new FaasmException("Modules " + previous + " and " + s.name() + " both install " + target, s.where(),
                        "leave one of them out of the module set");
            }
            Path dest = bundle.resolve(target);
            Files.createDirectories(dest.getParent());
            Files.copy(file, dest);
            if (!buildPaths.isEmpty() && TEXT_FILE.matcher(rel).matches()) {
                String text = Files.readString(dest, java.nio.charset.StandardCharsets.ISO_8859_1);
                String mapped = PathMaps.apply(text, buildPaths);
                if (!mapped.equals(text)) {
                    Files.writeString(dest, mapped, java.nio.charset.StandardCharsets.ISO_8859_1);
                    mappedFiles.add(rel);
                }
            }
            count++;
        }
        if (!mappedFiles.isEmpty()) {
            updateRecords(bundle.resolve("site-packages"), mappedFiles);
        }
        return count;
    }

    /**
     * A wheel's {@code .dist-info/RECORD} lists each file's sha256 and size: the lines of the files
     * whose build paths were replaced get their new digest and size, so RECORD stays true.
     */
    static void updateRecords(Path site, List<String> changed) throws IOException {
        for (String rel : FileTrees.listFiles(site)) {
            if (!rel.matches("[^/]+\\.dist-info/RECORD")) {
                continue;
            }
            Path record = site.resolve(rel);
            List<String> lines = new ArrayList<>();
            boolean edited = false;
            for (String line : Files.readAllLines(record, java.nio.charset.StandardCharsets.UTF_8)) {
                String path = line.split(",", 2)[0];
                if (changed.contains(path)) {
                    byte[] data = Files.readAllBytes(site.resolve(path));
                    byte[] digest;
                    try {
                        digest = java.security.MessageDigest.getInstance("SHA-256").digest(data);
                    } catch (java.security.NoSuchAlgorithmException e) {
                        throw new IllegalStateException(e);
                    }
                    line = path + ",sha256=" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "," + data.length;
                    edited = true;
                }
                lines.add(line);
            }
            if (edited) {
                Files.writeString(record, String.join("\n", lines) + "\n", java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }

    /** "ELF", "Mach-O" or "PE" when the file is a host binary, "native library" for other shared libraries, else null. */
    static String hostBinaryKind(String rel, byte[] head) {
        if (startsWith(head, new byte[] {0x7f, 'E', 'L', 'F'})) {
            return "ELF";
        }
        int be = head.length >= 4 ? ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff) : 0;
        if (be == 0xfeedface || be == 0xfeedfacf || be == 0xcefaedfe || be == 0xcffaedfe || be == 0xcafebabe && rel.endsWith(".so")) {
            return "Mach-O";
        }
        String lower = rel.toLowerCase(java.util.Locale.ROOT);
        if ((lower.endsWith(".pyd") || lower.endsWith(".dll") || lower.endsWith(".exe")) && startsWith(head, new byte[] {'M', 'Z'})) {
            return "PE";
        }
        if (lower.endsWith(".so") || lower.matches(".*\\.so\\.[0-9.]+") || lower.endsWith(".dylib") || lower.endsWith(".pyd")
                || lower.endsWith(".dll")) {
            return "native library";
        }
        return null;
    }

    private static void checkWasmArchive(ModuleSpec s, Path archive, String rel) throws IOException {
        checkWasmArchive(archive, "The C extension " + rel + " of module " + s.name(), "the extension was compiled for the host: check CC in the "
                + "module's <environment>", "read the module's build log");
    }

    /**
     * Fails unless the static archive holds wasm objects only, and at least one.
     *
     * @param what what the archive is, to begin the messages ("The C extension x of module y")
     */
    static void checkWasmArchive(Path archive, String what, String fixForeign, String fixEmpty) throws IOException {
        int members = 0;
        try (InputStream in = Files.newInputStream(archive); ArArchiveInputStream ar = new ArArchiveInputStream(in)) {
            ArArchiveEntry e;
            while ((e = ar.getNextArEntry()) != null) {
                if (e.getName().isEmpty() || e.getName().equals("/") || e.getName().equals("//") || e.getName().startsWith("__.SYMDEF")) {
                    continue;
                }
                byte[] magic = ar.readNBytes(4);
                if (!Arrays.equals(magic, WASM_MAGIC)) {
                    throw new FaasmException(what + " holds " + e.getName() + ", which is not a wasm object", archive.toString(), fixForeign);
                }
                members++;
            }
        }
        if (members == 0) {
            throw new FaasmException(what + " is an empty archive", archive.toString(), fixEmpty);
        }
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        }
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(Arrays.copyOf(data, prefix.length), prefix);
    }

    /** A source directory's files, without build output, VCS data and bytecode. */
    static List<String> sourceFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        return FileTrees.listFiles(dir).stream().filter(rel -> !(rel.startsWith("build/") || rel.startsWith("dist/")
                || rel.startsWith(".git/") || rel.contains(".egg-info/") || FileTrees.isBytecode(rel))).toList();
    }

    /** sha256 of each of {@link #sourceFiles}, by relative path. */
    static Map<String, String> sourceManifest(Path dir) {
        Map<String, String> m = new TreeMap<>();
        for (String rel : sourceFiles(dir)) {
            m.put(rel, Digests.sha256(dir.resolve(rel)));
        }
        return m;
    }
}
