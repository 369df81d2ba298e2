package org.faasm.python.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.release.GitTagger;

/**
 * Creates the annotated git tag {@code v<version>} with JGit (the original {@code git.tag}).
 * Refuses a dirty work tree or an existing tag unless {@code force}.
 *
 * @since 0.1.0
 */
@Mojo(name = "tag", aggregator = true, threadSafe = true)
public class TagMojo extends AbstractFaasmMojo {

    /**
     * Tag even with uncommitted changes, and move an existing tag.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.force", defaultValue = "false")
    protected boolean force;

    @Override
    protected void run() {
        String tag = GitTagger.tag(project.getBasedir(), project.getVersion(), "Release " + project.getVersion(), force);
        getLog().info("Created tag " + tag);
    }
}
