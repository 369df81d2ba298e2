package org.faasm.python.core.modules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.faasm.python.core.build.BuildCache;
import org.faasm.python.core.build.ProcessRunner;
import org.faasm.python.core.cpython.SourceTree;
import org.faasm.python.core.sources.SourceResolver;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * A requirement of the Python tests given as an sdist: built for the build python itself (not
 * cross) by its PEP 517 backend, with its own pinned build requirements and config settings, and
 * kept in the build cache by content key. This is how pyfaasm's tests get the very NumPy release
 * the sysroot carries, for a build python no distribution ships NumPy for.
 */
public final class NativeWheelBuild {
    static final String RECIPE = "native-wheel-1";

    private final BuildCache cache;
    private final Path nativePython;
    private final SourceResolver resolver;
    private final Path workDir;
    private final Path logDir;
    private final Log log;

    /**
     * @param nativePython the build python's prefix (the interpreter is bin/python3), in the build cache
     */
    public NativeWheelBuild(BuildCache cache, Path nativePython, SourceResolver resolver, Path workDir, Path logDir, Log log) {
        this.cache = cache;
        this.nativePython = nativePython;
        this.resolver = resolver;
        this.workDir = workDir;
        this.logDir = logDir;
        this.log = log;
    }

    /** True for the archives this builds: sdists. */
    public static boolean isSource(String fileName) {
        return fileName.matches(".*\\.(tar\\.gz|tgz|tar\\.xz|tar\\.bz2)");
    }

    /** The directory to put on PYTHONPATH: the requirement's wheel, built (or taken from the cache) and unpacked. */
    public Path site(ModuleSpec.BuildRequirement r, Path sdist, String where) {
        BuildInputs inputs = new BuildInputs().put("recipe", RECIPE).put("python", nativePython.toAbsolutePath().normalize().getFileName().toString())
                .put("sdist", org.faasm.python.host.util.Digests.sha256(sdist)).put("configSettings", new TreeMap<>(r.configSettings()).toString());
        for (ModuleSpec.BuildRequirement b : r.buildRequirements()) {
            inputs.put("buildRequirement." + b.name(), b.archive().sha256());
        }
        String what = "Native " + r.name() + (r.version() == null ? "" : " " + r.version()) + " for the build python";
        return cache.obtain("native-wheel", what, inputs, tmp -> build(r, sdist, where, tmp));
    }

    private void build(ModuleSpec.BuildRequirement r, Path sdist, String where, Path tmp) throws IOException {
        Path work = workDir.resolve(r.name());
        FileTrees.deleteRecursively(work);
        Files.createDirectories(logDir);
        Path logFile = logDir.resolve("native-" + r.name() + ".log");
        Files.deleteIfExists(logFile);
        ProcessRunner runner = new ProcessRunner(log);
        Path src = work.resolve("src");
        SourceTree.prepare("sha256:" + org.faasm.python.host.util.Digests.sha256(sdist), sdist, null, List.of(), src, runner, logFile, log);
        Path python = nativePython.resolve("bin/python3");
        List<Path> path = RequirementPath.unpack(r.buildRequirements(), resolver, "requirement " + r.name(), where,
                work.resolve("build-requirements"), log);
        Pep517Build.BuildSystem bs = Pep517Build.read(python, src.resolve("pyproject.toml"));
        ModuleSpec s = new ModuleSpec(r.name(), r.version(), null, false, src, null, null, null, null, null, null, null, Map.of(), List.of(),
                where);
        Pep517Build.check(s, bs, r.buildRequirements().stream().map(b -> b.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .toList());
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : List.of("PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "_PYTHON_SYSCONFIGDATA_NAME", "_PYTHON_HOST_PLATFORM",
                "CFLAGS", "LDFLAGS", "CPPFLAGS")) {
            env.put(k, null);
        }
        env.put("PYTHONPATH", RequirementPath.join(null, path));
        env.put("PYTHONNOUSERSITE", "1");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        Map<String, Object> settings = Pep517Build.settings(r.configSettings());
        if (bs.backend().equals(Pep517Build.MESONPY)) {
            // Cython is a build-machine tool that meson looks for on PATH
            Path bin = work.resolve("bin");
            MesonCross.cythonScript(bin, python);
            env.put("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
            Pep517Build.checkNinja(s, env);
            settings.putIfAbsent("build-dir", work.resolve("meson-build").toString());
            settings.putIfAbsent("compile-args", List.of("-j" + Runtime.getRuntime().availableProcessors()));
        }
        Path wheel = Pep517Build.buildWheel(s, bs, python, src, work.resolve("dist"), env, settings, runner, logFile);
        FileTrees.deleteRecursively(tmp);
        unzip(wheel, tmp);
        log.info("Requirement " + r.name() + ": built " + wheel.getFileName() + " for the build python with " + bs.backend());
        FileTrees.deleteRecursively(work);
    }

    /** Unpacks a wheel for the build python (its native extensions included). */
    static void unzip(Path wheel, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            List<? extends ZipEntry> entries = new ArrayList<>(Collections.list(zip.entries()));
            for (ZipEntry e : entries) {
                Path dest = root.resolve(e.getName()).normalize();
                if (!dest.startsWith(root)) {
                    throw new FaasmException("Wheel " + wheel.getFileName() + " has an entry outside its directory: " + e.getName(),
                            wheel.toString(), "do not use this wheel");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(dest);
                    continue;
                }
                Files.createDirectories(dest.getParent());
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, dest);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + wheel, e);
        }
    }
}
