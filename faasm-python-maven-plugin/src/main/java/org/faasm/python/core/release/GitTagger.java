package org.faasm.python.core.release;

import java.io.File;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.faasm.python.host.FaasmException;

/** Annotated release tags {@code v<version>} with JGit (the original {@code git.tag}). */
public final class GitTagger {
    private GitTagger() {}

    /**
     * Creates the annotated tag {@code v<version>} on HEAD. Refuses a dirty work tree or an existing
     * tag unless {@code force}; returns the tag name.
     */
    public static String tag(File dir, String version, String message, boolean force) {
        String name = "v" + version;
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir);
        if (builder.getGitDir() == null) {
            throw new FaasmException(dir + " is not inside a git repository", dir.toString(), "run the goal in a git checkout");
        }
        try (Git git = new Git(builder.build())) {
            Status status = git.status().call();
            if (!status.isClean() && !force) {
                Set<String> dirty = new TreeSet<>();
                dirty.addAll(status.getModified());
                dirty.addAll(status.getChanged());
                dirty.addAll(status.getAdded());
                dirty.addAll(status.getRemoved());
                dirty.addAll(status.getMissing());
                dirty.addAll(status.getUntracked());
                dirty.addAll(status.getConflicting());
                throw new FaasmException("The work tree has uncommitted changes, so " + name + " would not tag what is built: "
                        + String.join(", ", dirty), git.getRepository().getWorkTree().toString(),
                        "commit or stash them, or set force to true");
            }
            Ref existing = git.getRepository().exactRef("refs/tags/" + name);
            if (existing != null && !force) {
                throw new FaasmException("Tag " + name + " already exists", git.getRepository().getWorkTree().toString(),
                        "bump the version first (faasm-python:bump), or set force to true to move the tag");
            }
            git.tag().setName(name).setAnnotated(true).setMessage(message).setForceUpdate(force).setSigned(false).call();
            return name;
        } catch (IOException | GitAPIException e) {
            throw new FaasmException("Cannot tag " + name + ": " + e.getMessage(), dir.toString(), "check the repository", e);
        }
    }
}
