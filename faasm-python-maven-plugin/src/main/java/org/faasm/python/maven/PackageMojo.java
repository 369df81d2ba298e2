package org.faasm.python.maven;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProjectHelper;
import org.faasm.python.core.cpython.CPythonBuilder;
import org.faasm.python.core.modules.ModuleBundle;
import org.faasm.python.core.sysroot.Archives;
import org.faasm.python.core.sysroot.SysrootAssembler;
import org.faasm.python.core.sysroot.SysrootLayout;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Digests;

/**
 * Assembles the sysroot in Faasm's layout (libpython and companion libraries, headers, the standard
 * library with the wheels of the project's {@code whl} dependencies and the modules of its
 * {@code faasm-modules} dependencies in site-packages, their C extensions' archives, and the
 * entrypoint), precompiles the entrypoint to JVM bytecode for the local host, and attaches:
 * {@code python.wasm} (type {@code wasm}, classifier {@code python}), {@code py_func.wasm} (type
 * {@code wasm}, classifier {@code py_func}) and the sysroot archive (type {@code tar.gz}, classifier
 * {@code sysroot}). The archive is reproducible and rewritten only when an input changes.
 *
 * @since 0.1.0
 */
@Mojo(name = "package", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class PackageMojo extends AbstractCPythonMojo {

    /**
     * The modification time written into archive entries, for reproducible archives.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    protected String outputTimestamp;

    /**
     * The linked entrypoint (written by the {@code link} goal).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.entrypoint", defaultValue = "${project.build.directory}/py_func.wasm")
    protected File entrypoint;

    /**
     * The directory where the sysroot is laid out before it is archived; {@code faasm-python:run} uses it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.sysrootDirectory", defaultValue = "${project.build.directory}/faasm-sysroot")
    protected File sysrootDirectory;

    /**
     * Precompile the entrypoint for the local host: to JVM bytecode for the pure-JVM engine (shipped
     * in the sysroot, so the local host never retranslates it), and, where wasmtime loads, to native
     * code in the user cache (machine-specific, so not shipped), so the first run does not compile.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.aot", defaultValue = "true")
    protected boolean aot;

    /**
     * Compile .pyc files (unchecked-hash, guest paths) for the standard library and site-packages,
     * so the read-only runtime never compiles a module at start-up. Off, every cold start compiles
     * what it imports.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.precompile", defaultValue = "true")
    protected boolean precompile;

    @Component
    private MavenProjectHelper projectHelper;

    @Override
    protected void run() {
        CPythonBuilder.WasmOutputs out = builder().wasm();
        Path pyFunc = entrypoint.toPath();
        if (!Files.isRegularFile(pyFunc)) {
            throw new FaasmException("The entrypoint " + pyFunc + " has not been linked", "<entrypoint> / -Dfaasm.entrypoint",
                    "run the link goal first (it is bound to prepare-package in the faasm-cpython packaging)");
        }
        List<Path> wheels = new ArrayList<>();
        for (Artifact a : project.getArtifacts()) {
            if ("whl".equals(a.getType()) || "whl".equals(a.getArtifactHandler().getExtension())) {
                wheels.add(a.getFile().toPath());
            }
        }
        wheels.sort(null);
        List<ModuleBundle> bundles = ModuleDependencies.unpack(project, workDirectory.toPath().toAbsolutePath(), log());
        Path sysrootDir = sysrootDirectory.toPath().toAbsolutePath();
        SysrootAssembler.assemble(new SysrootAssembler.Inputs(out, pyFunc, wheels, List.copyOf(ModuleDependencies.extensions(bundles).values()),
                bundles.stream().map(ModuleBundle::sitePackages).toList(), precompile, aot, builder().buildCache()), sysrootDir,
                builder().nativePython().resolve("bin/python3"), workDirectory.toPath().resolve("logs/sysroot.log"), log());

        if (aot) {
            SysrootAssembler.nativeCode(SysrootLayout.entrypoint(sysrootDir), cacheRoot().resolve("code"), builder().buildCache(), log());
        }

        Path dir = Path.of(project.getBuild().getDirectory());
        String base = project.getArtifactId() + "-" + project.getVersion();
        Path stamps = workDirectory.toPath().resolve("stamps");
        Path pythonWasm = Archives.copy("python.wasm artifact", out.pythonWasm(), dir.resolve(base + "-python.wasm"), stamps, log());
        Path pyFuncArtifact = Archives.copy("py_func.wasm artifact", pyFunc, dir.resolve(base + "-py_func.wasm"), stamps, log());
        Path sysroot = Archives.archive("Sysroot archive", sysrootDir, dir.resolve(base + "-sysroot.tar.gz"),
                outputTimestampMillis(outputTimestamp, 0L), stamps, log());
        try {
            getLog().info(String.format("python.wasm %.1f MB; py_func.wasm %.1f MB; sysroot archive %.1f MB (sha256 %s)",
                    Files.size(pythonWasm) / 1e6, Files.size(pyFuncArtifact) / 1e6, Files.size(sysroot) / 1e6, Digests.sha256(sysroot)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        projectHelper.attachArtifact(project, "wasm", "python", pythonWasm.toFile());
        projectHelper.attachArtifact(project, "wasm", "py_func", pyFuncArtifact.toFile());
        projectHelper.attachArtifact(project, "tar.gz", "sysroot", sysroot.toFile());
    }
}
