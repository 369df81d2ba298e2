package org.faasm.python.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.repository.RemoteRepository;
import org.faasm.python.core.build.RemoteCache;
import org.faasm.python.core.cpython.CPythonBuilder;
import org.faasm.python.core.cpython.CPythonRequest;
import org.faasm.python.core.toolchain.HostEnvironment;
import org.faasm.python.host.FaasmException;

/** Parameters of the CPython build, shared by the goals of the {@code faasm-cpython} packaging. */
abstract class AbstractCPythonMojo extends AbstractFaasmMojo {
    private static final String CONTEXT_KEY = CPythonBuilder.class.getName();

    /**
     * The CPython pin: version, archive file names, sha256 digests and download URLs, and patches
     * listed beside it. Default: the pin this plugin release was built with, which it carries.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.cpythonPin")
    protected File cpythonPin;

    /**
     * The zlib pin (zlib is cross-built as a static library for CPython's zlib module). Default: the
     * pin this plugin release was built with, which it carries.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.zlibPin")
    protected File zlibPin;

    /**
     * A local CPython source archive to use instead of the cache or a download; its sha256 must match the pin.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.cpython.archive")
    protected File cpythonArchive;

    /**
     * A local zlib source archive; its sha256 must match the pin.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.zlib.archive")
    protected File zlibArchive;

    /**
     * A git repository to take CPython from instead of the pinned archive, such as a fork; cloned with
     * JGit and cached by commit. Needs {@code gitRef}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.cpython.git.url")
    protected String gitUrl;

    /**
     * The branch, tag or full commit id of {@code gitUrl}. A commit id is reproducible and, once cached, needs no network.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.cpython.git.ref")
    protected String gitRef;

    /**
     * A wasi-sdk directory (with {@code bin/clang} and {@code share/wasi-sysroot}). When unset:
     * {@code WASI_SDK_PATH}, then {@code /opt/wasi-sdk}, then Debian's clang-N/wasi-libc packages.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.toolchain.path")
    protected File toolchainPath;

    /**
     * With Debian's packages: the clang major version to use (e.g. 16). Default: the highest complete one.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.toolchain.clangVersion")
    protected String clangVersion;

    /**
     * Extra arguments for CPython's configure in the wasm build, after the built-in ones. Changing them rebuilds.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.configure.options")
    protected List<String> configureOptions;

    /**
     * Extra CFLAGS for the wasm build. Changing them rebuilds.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.cflags")
    protected String cflags;

    /**
     * Parallel make jobs. Default: the number of available cores.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.jobs")
    protected String jobs;

    /**
     * Where the finished wasm32-wasi tree goes: bin/python.wasm, lib/libpythonX.Y.a and companion
     * libraries, include/pythonX.Y, lib/pythonX.Y (the standard library).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.outputDirectory", defaultValue = "${project.build.directory}/wasm32-wasi")
    protected File outputDirectory;

    /**
     * Look up finished builds (native build python, CPython wasm build, module bundle, entrypoint)
     * in the team cache: the artifacts {@code org.faasm.python.cache:<kind>:<content key>:tar.gz} in
     * the build's repositories, after the user cache and before building. Off in offline mode.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.cache.remote", defaultValue = "true")
    protected boolean cacheRemote;

    /**
     * Publish every finished build this build uses to the team cache, unless the repository has it
     * already: {@code <repository id>::<url>} (credentials from the settings.xml {@code <server>} with
     * that id), or the id of one of the build's repositories. Meant for CI; a refused push is a warning.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.cache.push")
    protected String cachePush;

    /** Maven's repository system: the team cache, and module sources given as artifacts. */
    @Component
    protected RepositorySystem repositorySystem;

    /** Scratch space and logs of the build. */
    @Parameter(defaultValue = "${project.build.directory}/faasm-python", readonly = true)
    protected File workDirectory;

    protected CPythonRequest request() {
        return new CPythonRequest(
                cacheRoot(),
                workDirectory.toPath().toAbsolutePath(),
                outputDirectory.toPath().toAbsolutePath(),
                path(cpythonPin),
                path(zlibPin),
                path(cpythonArchive),
                path(zlibArchive),
                blankToNull(gitUrl),
                blankToNull(gitRef),
                path(toolchainPath),
                parseInt(clangVersion, "faasm.toolchain.clangVersion", "clangVersion"),
                configureOptions,
                cflags,
                jobs == null || jobs.isBlank() ? Runtime.getRuntime().availableProcessors() : parseInt(jobs, "faasm.jobs", "jobs"),
                session.isOffline(),
                remoteCache());
    }

    /** The team cache, or none (offline, or switched off); a malformed push value fails here, before any work. */
    private RemoteCache remoteCache() {
        List<RemoteRepository> repos = project.getRemoteProjectRepositories();
        RemoteRepository push = cachePush == null || cachePush.isBlank() ? null
                : MavenRemoteCache.pushRepository(cachePush, session.getRepositorySession(), repos);
        if (session.isOffline()) {
            if (push != null) {
                getLog().warn("Offline: nothing is pushed to the team cache (" + push.getId() + ")");
            }
            return RemoteCache.NONE;
        }
        return new MavenRemoteCache(repositorySystem, session.getRepositorySession(), cacheRemote ? repos : List.of(), push, log());
    }

    /** The builder shared by this module's goals (so each step runs once per build). */
    protected CPythonBuilder builder() {
        CPythonRequest request = request();
        Object existing = project.getContextValue(CONTEXT_KEY);
        if (existing instanceof CPythonBuilder b && b.request().equals(request.withRemoteCache(b.request().remoteCache()))) {
            return b;
        }
        CPythonBuilder b = new CPythonBuilder(request, HostEnvironment.system(), log());
        project.setContextValue(CONTEXT_KEY, b);
        return b;
    }

    private static Path path(File f) {
        return f == null ? null : f.toPath().toAbsolutePath();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static Integer parseInt(String value, String property, String parameter) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new FaasmException(property + " must be a whole number, got '" + value + "'", "-D" + property + " / <" + parameter + ">",
                    "give a number such as 2, or leave it unset for the default");
        }
    }
}
