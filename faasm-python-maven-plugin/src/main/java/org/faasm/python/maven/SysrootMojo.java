package org.faasm.python.maven;

import java.io.File;
import java.nio.file.Path;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.faasm.python.core.sysroot.SysrootUnpacker;
import org.faasm.python.host.FaasmException;

/**
 * Unpacks the project's sysroot dependency (type {@code tar.gz}, classifier {@code sysroot}) into
 * {@code sysrootDirectory}, where {@code faasm-python:run} finds it. Unpacks again only when the
 * archive changes.
 *
 * @since 0.1.0
 */
@Mojo(name = "sysroot", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.TEST)
public class SysrootMojo extends AbstractFaasmMojo {

    /**
     * Where to unpack the sysroot.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.sysrootDirectory", defaultValue = "${project.build.directory}/faasm-sysroot")
    protected File sysrootDirectory;

    @Override
    protected void run() {
        Artifact sysroot = null;
        for (Artifact a : project.getArtifacts()) {
            if ("sysroot".equals(a.getClassifier()) && "tar.gz".equals(a.getType())) {
                if (sysroot != null) {
                    throw new FaasmException("More than one sysroot dependency: " + sysroot + " and " + a, "the project's <dependencies>",
                            "keep one dependency with <type>tar.gz</type> and <classifier>sysroot</classifier>");
                }
                sysroot = a;
            }
        }
        if (sysroot == null) {
            throw new FaasmException("The project has no sysroot dependency", "the project's <dependencies>",
                    "add org.faasm.python:cpython-module with <type>tar.gz</type> and <classifier>sysroot</classifier> (see the README)");
        }
        SysrootUnpacker.unpack(sysroot.getFile().toPath(), sysrootDirectory.toPath().toAbsolutePath(), log());
    }
}
