package org.faasm.python.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.wheel.WheelBuilder;

/**
 * Builds a pure-Python wheel ({@code py3-none-any}) of the module's Python packages, reproducibly,
 * and makes it the project's artifact (type {@code whl}).
 *
 * @since 0.1.0
 */
@Mojo(name = "wheel", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class WheelMojo extends AbstractFaasmMojo {

    /**
     * The directory holding the Python packages.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.pythonSources", defaultValue = "${project.basedir}/src/main/python")
    protected File pythonSources;

    /**
     * The top-level packages to put in the wheel.
     *
     * @since 0.1.0
     */
    @Parameter(required = true)
    protected List<String> pythonPackages;

    /**
     * The distribution name of the wheel.
     *
     * @since 0.1.0
     */
    @Parameter(required = true)
    protected String distributionName;

    /**
     * The wheel's (PEP 440) version. Default: the project version, with {@code -SNAPSHOT} written as {@code .dev0}.
     *
     * @since 0.1.0
     */
    @Parameter
    protected String pythonVersion;

    /**
     * One-line summary for the wheel's metadata.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.description}")
    protected String summary;

    private static final long ZIP_EPOCH_MILLIS = 315_532_800_000L;

    @Parameter(defaultValue = "${project.build.outputTimestamp}", readonly = true)
    protected String outputTimestamp;

    @Override
    protected void run() {
        String version = pythonVersion != null ? pythonVersion : project.getVersion().replace("-SNAPSHOT", ".dev0");
        // zip entries cannot be older than 1980
        long mtime = Math.max(outputTimestampMillis(outputTimestamp, ZIP_EPOCH_MILLIS), ZIP_EPOCH_MILLIS);
        Path wheel = WheelBuilder.build(pythonSources.toPath(), pythonPackages, distributionName, version,
                summary == null ? "" : summary.replaceAll("\\s+", " ").trim(), Path.of(project.getBuild().getDirectory()), mtime);
        project.getArtifact().setFile(wheel.toFile());
        getLog().info("Built " + wheel.getFileName());
    }
}
