package org.faasm.python.core.cpython;

import java.nio.file.Path;
import java.util.List;
import org.faasm.python.core.build.RemoteCache;
import org.faasm.python.core.BuildSetting;
import org.faasm.python.host.FaasmException;

/**
 * Everything that configures the CPython build, as one immutable value.
 *
 * @param cacheDirectory the user cache shared by all checkouts (sources, native python, wasm builds)
 * @param workDirectory scratch and logs, under target/
 * @param outputDirectory where the finished wasm32-wasi tree is placed, under target/
 * @param cpythonPin the CPython pin file, or null for the pin bundled in the plugin
 * @param zlibPin the zlib pin file, or null for the pin bundled in the plugin
 * @param cpythonArchive a local CPython archive, or null
 * @param zlibArchive a local zlib archive, or null
 * @param gitUrl a git repository to take CPython from instead of the archive, or null
 * @param gitRef the branch, tag or commit of {@code gitUrl}
 * @param toolchainPath an explicit wasi-sdk directory, or null
 * @param clangVersion the Debian clang major version to use, or null
 * @param configureOptions extra arguments for CPython's configure (wasm build)
 * @param cflags extra CFLAGS for the wasm build
 * @param jobs parallel make jobs
 * @param offline whether downloads are forbidden
 * @param remoteCache the team's build cache ({@link RemoteCache#NONE} for none)
 */
public record CPythonRequest(
        Path cacheDirectory,
        Path workDirectory,
        Path outputDirectory,
        Path cpythonPin,
        Path zlibPin,
        Path cpythonArchive,
        Path zlibArchive,
        String gitUrl,
        String gitRef,
        Path toolchainPath,
        Integer clangVersion,
        List<String> configureOptions,
        String cflags,
        int jobs,
        boolean offline,
        RemoteCache remoteCache) {

    public CPythonRequest {
        remoteCache = remoteCache == null ? RemoteCache.NONE : remoteCache;
        configureOptions = configureOptions == null ? List.of() : List.copyOf(configureOptions);
        cflags = cflags == null ? "" : cflags.trim();
        if (jobs < 1 || jobs > 256) {
            throw new FaasmException("jobs must be between 1 and 256, got " + jobs, BuildSetting.JOBS,
                    "set jobs to the number of parallel make jobs, or leave it unset to use all cores");
        }
        if (clangVersion != null && (clangVersion < 10 || clangVersion > 99)) {
            throw new FaasmException("clangVersion must be a clang major version such as 16, got " + clangVersion,
                    BuildSetting.CLANG_VERSION, "use the N of an installed clang-N package");
        }
        for (String option : configureOptions) {
            if (!option.startsWith("--") && !option.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                throw new FaasmException("Configure option '" + option + "' is neither --option nor VAR=value",
                        BuildSetting.CONFIGURE_OPTIONS, "write options as CPython's configure takes them, e.g. --with-pydebug");
            }
        }
        if (gitRef != null && gitUrl == null) {
            throw new FaasmException("A git ref was given without a git URL", BuildSetting.GIT_REF,
                    "set gitUrl as well, or unset the ref");
        }
    }

    /** The same request with another team cache (which has no meaningful equality of its own). */
    public CPythonRequest withRemoteCache(RemoteCache remote) {
        return new CPythonRequest(cacheDirectory, workDirectory, outputDirectory, cpythonPin, zlibPin, cpythonArchive, zlibArchive, gitUrl,
                gitRef, toolchainPath, clangVersion, configureOptions, cflags, jobs, offline, remote);
    }

    public Path logDirectory() {
        return workDirectory.resolve("logs");
    }
}
