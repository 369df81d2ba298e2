package org.faasm.python.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;
import org.faasm.python.core.cpython.CPythonBuilder;
import org.faasm.python.core.sysroot.DeterministicTar;
import org.faasm.python.core.sysroot.SysrootLayout;
import org.faasm.python.core.util.AtomicFiles;
import org.faasm.python.core.util.Digests;

/**
 * Packages the wasm32-wasi build: attaches {@code python.wasm} (type {@code wasm}, classifier
 * {@code python}) and the sysroot archive in Faasm's layout (type {@code tar.gz}, classifier
 * {@code sysroot}). The archive is reproducible and rewritten only when the build changes.
 *
 * @since 0.1.0
 */
@Mojo(name = "package", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PackageMojo extends AbstractCPythonMojo {

    /**
     * The modification time written into archive entries, for reproducible archives.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    protected String outputTimestamp;

    @Component
    private MavenProjectHelper projectHelper;

    @Override
    protected void run() {
        CPythonBuilder.WasmOutputs out = builder().wasm();
        Path dir = Path.of(project.getBuild().getDirectory());
        Path pythonWasm = dir.resolve(project.getArtifactId() + "-" + project.getVersion() + "-python.wasm");
        Path sysroot = dir.resolve(project.getArtifactId() + "-" + project.getVersion() + "-sysroot.tar.gz");
        long mtime = mtime();
        String stamp = out.key() + "|" + mtime + "|layout-1";
        Path stampFile = dir.resolve("faasm-python/sysroot.stamp");
        try {
            if (Files.isRegularFile(sysroot) && Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)
                    && Files.isRegularFile(pythonWasm)) {
                getLog().info("Sysroot archive is up to date: " + sysroot.getFileName());
            } else {
                AtomicFiles.write(pythonWasm, Files.readAllBytes(out.pythonWasm()));
                DeterministicTar tar = SysrootLayout.sysroot(out, mtime);
                getLog().info("Writing " + sysroot.getFileName() + " (" + tar.size() + " files)");
                tar.write(sysroot);
                AtomicFiles.writeString(stampFile, stamp);
            }
            getLog().info(String.format("python.wasm: %.1f MB; sysroot archive: %.1f MB (sha256 %s)", Files.size(pythonWasm) / 1e6,
                    Files.size(sysroot) / 1e6, Digests.sha256(sysroot)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        projectHelper.attachArtifact(project, "wasm", "python", pythonWasm.toFile());
        projectHelper.attachArtifact(project, "tar.gz", "sysroot", sysroot.toFile());
    }

    private long mtime() {
        if (outputTimestamp == null || outputTimestamp.isBlank() || outputTimestamp.length() < 2) {
            return 0L;
        }
        if (outputTimestamp.matches("\\d+")) {
            return Long.parseLong(outputTimestamp) * 1000L;
        }
        return Instant.parse(outputTimestamp).toEpochMilli();
    }
}
