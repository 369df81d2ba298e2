package org.faasm.python.core.sources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * A source from a git repository (a fork such as Faasm's CPython), cloned with JGit. The checkout is
 * cached by commit id, the content key git itself verifies: {@code <root>/<commit>/}. A ref that is a
 * full commit id found in the cache needs no network.
 */
public final class GitSource {
    private final Path root;
    private final boolean offline;
    private final Log log;

    public GitSource(Path root, boolean offline, Log log) {
        this.root = root;
        this.offline = offline;
        this.log = log;
    }

    /** A checked-out tree and its commit id. */
    public record Checkout(Path tree, String commit) {}

    public Checkout checkout(String url, String ref, org.faasm.python.host.Setting where) {
        if (ref == null || ref.isBlank()) {
            throw new FaasmException("A git source needs a ref (branch, tag or commit) as well as a URL", where,
                    "set the ref, e.g. v3.13.15");
        }
        if (ref.matches("[0-9a-f]{40}")) {
            Path cached = root.resolve(ref);
            if (Files.isDirectory(cached)) {
                log.info("git source " + url + " @ " + ref + ": using cached checkout " + cached);
                return new Checkout(cached, ref);
            }
        }
        if (offline) {
            throw new FaasmException("Cannot clone " + url + " in offline mode and commit " + ref + " is not cached", where,
                    "build once online, or use a local archive instead");
        }
        Path tmp = AtomicFiles.tempSibling(root.resolve("clone-" + Digests.sha256(url).substring(0, 12)));
        try {
            Files.createDirectories(root);
            log.info("Cloning " + url + " (" + ref + ") with JGit");
            String commit;
            try (Git git = Git.cloneRepository().setURI(url).setDirectory(tmp.toFile()).setNoCheckout(true).call()) {
                ObjectId id = resolve(git, ref);
                if (id == null) {
                    throw new FaasmException("Git ref '" + ref + "' does not exist in " + url, where,
                            "use an existing branch, tag or full commit id");
                }
                commit = id.getName();
                git.checkout().setName(commit).call();
            }
            Path target = root.resolve(commit);
            FileTrees.deleteRecursively(tmp.resolve(".git"));
            if (!AtomicFiles.publishDirectory(tmp, target)) {
                log.debug("checkout of " + commit + " was already cached");
            }
            log.info("git source " + url + " @ " + ref + " is commit " + commit);
            return new Checkout(target, commit);
        } catch (GitAPIException | IOException e) {
            FileTrees.deleteRecursively(tmp);
            throw new FaasmException("Cannot clone " + url + ": " + e.getMessage(), where,
                    "check the URL and that the repository is reachable", e);
        } catch (RuntimeException e) {
            FileTrees.deleteRecursively(tmp);
            throw e;
        }
    }

    private static ObjectId resolve(Git git, String ref) throws IOException {
        for (String candidate : new String[] {"refs/remotes/origin/" + ref + "^{commit}", "refs/tags/" + ref + "^{commit}", ref + "^{commit}"}) {
            ObjectId id = git.getRepository().resolve(candidate);
            if (id != null) {
                return id;
            }
        }
        return null;
    }
}
