package org.faasm.python.maven;

import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.release.Versions;

/**
 * Bumps the version of the whole reactor (the original {@code git.bump}): every pom of the reactor
 * and the Python package versions, consistently. Run it on the root project.
 *
 * @since 0.1.0
 */
@Mojo(name = "bump", aggregator = true, threadSafe = true)
public class BumpMojo extends AbstractFaasmMojo {

    /**
     * Which part to bump: {@code patch}, {@code minor} or {@code major}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.bump", defaultValue = "patch")
    protected String part;

    @Override
    protected void run() {
        Path root = project.getBasedir().toPath();
        String from = project.getVersion();
        String to = Versions.bump(from, Versions.Part.parse(part, "-Dfaasm.bump"));
        List<Versions.Change> changes = Versions.plan(root, project.getGroupId(), from, to);
        Versions.apply(changes);
        getLog().info("Version " + from + " -> " + to + " in " + changes.size() + " files:");
        changes.forEach(c -> getLog().info("  " + root.relativize(c.file())));
    }
}
