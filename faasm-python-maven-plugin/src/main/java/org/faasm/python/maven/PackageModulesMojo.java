package org.faasm.python.maven;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.sysroot.Archives;
import org.faasm.python.host.util.Digests;

/**
 * Packages the built modules as the project's artifact (type {@code faasm-modules}, a reproducible
 * tar.gz) for a {@code faasm-cpython} project to depend on: its entrypoint link registers the C
 * extensions and its sysroot gets the site-packages.
 *
 * @since 0.1.0
 */
@Mojo(name = "package-modules", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PackageModulesMojo extends AbstractFaasmMojo {

    /**
     * The built modules (written by {@code build-modules}).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.modules.directory", defaultValue = "${project.build.directory}/faasm-modules")
    protected File modulesDirectory;

    /**
     * The modification time written into archive entries, for reproducible archives.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    protected String outputTimestamp;

    @Override
    protected void run() {
        Path out = Path.of(project.getBuild().getDirectory(), project.getArtifactId() + "-" + project.getVersion() + ".tar.gz");
        Archives.archive("Modules archive", modulesDirectory.toPath().toAbsolutePath(), out, outputTimestampMillis(outputTimestamp, 0L),
                Path.of(project.getBuild().getDirectory(), "faasm-python", "stamps"), log());
        try {
            getLog().info(String.format("Modules archive %s: %.1f MB (sha256 %s)", out.getFileName(), Files.size(out) / 1e6, Digests.sha256(out)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        project.getArtifact().setFile(out.toFile());
    }
}
