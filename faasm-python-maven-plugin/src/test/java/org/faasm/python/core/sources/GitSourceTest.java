package org.faasm.python.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceTest {
    @TempDir
    Path tmp;

    @Test
    void clonesATagCachesByCommitAndReusesItOffline() throws Exception {
        Path repo = tmp.resolve("fork");
        String commit;
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(repo.resolve("Include"));
            Files.writeString(repo.resolve("Include/patchlevel.h"), "#define PY_VERSION \"3.11.2+faasm\"\n");
            git.add().addFilepattern(".").call();
            RevCommit c = git.commit().setMessage("fork").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org")
                    .setSign(false).call();
            git.tag().setName("v3.13.15-faasm").setAnnotated(true).setMessage("tag").setSigned(false).call();
            commit = c.getName();
            Files.writeString(repo.resolve("later.txt"), "on main only");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("later").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").setSign(false).call();
        }
        String url = repo.toUri().toString();

        GitSource.Checkout byTag = new GitSource(tmp.resolve("cache"), false, Log.NONE).checkout(url, "v3.13.15-faasm", org.faasm.python.core.BuildSetting.GIT_REF);
        GitSource.Checkout offline = new GitSource(tmp.resolve("cache"), true, Log.NONE).checkout(url, commit, org.faasm.python.core.BuildSetting.GIT_REF);

        assertEquals(commit, byTag.commit());
        assertEquals(tmp.resolve("cache").resolve(commit), byTag.tree());
        assertTrue(Files.exists(byTag.tree().resolve("Include/patchlevel.h")));
        assertFalse(Files.exists(byTag.tree().resolve("later.txt")), "the tag's tree, not main's");
        assertFalse(Files.exists(byTag.tree().resolve(".git")));
        assertEquals(byTag, offline);
    }

    @Test
    void anUnknownRefIsAClearError() throws Exception {
        Path repo = tmp.resolve("r");
        try (Git git = Git.init().setDirectory(repo.toFile()).call()) {
            Files.writeString(repo.resolve("a"), "a");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("a").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").setSign(false).call();
        }

        FaasmException e = assertThrows(FaasmException.class,
                () -> new GitSource(tmp.resolve("cache"), false, Log.NONE).checkout(repo.toUri().toString(), "no-such-tag", org.faasm.python.core.BuildSetting.GIT_REF));

        assertTrue(e.getMessage().contains("'no-such-tag' does not exist"), e.getMessage());
    }
}
