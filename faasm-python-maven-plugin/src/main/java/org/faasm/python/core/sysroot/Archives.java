package org.faasm.python.core.sysroot;

import java.nio.file.Files;
import java.nio.file.Path;
import org.faasm.python.core.archive.DeterministicTar;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.keyed.KeyedOutput;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * The packaged artifacts: a stamped directory (a sysroot, a module bundle) as a reproducible
 * tar.gz, and single files copied to their artifact names. Each is a {@link KeyedOutput} with its
 * stamp in {@code stampDir}, rewritten only when its source changes.
 */
public final class Archives {
    private Archives() {}

    /**
     * Archives {@code dir} (everything but its stamp) into {@code archive}.
     *
     * @param dir a directory made by a {@link KeyedOutput} (its stamp names its content)
     */
    public static Path archive(String what, Path dir, Path archive, long mtimeMillis, Path stampDir, Log log) {
        String key = KeyedOutput.stampedKey(dir).orElseThrow(() -> new FaasmException(dir + " has not been built (no stamp)",
                dir.toString(), "run the goal that builds it first (mvn package)"));
        BuildInputs inputs = new BuildInputs().put("directory", key).put("mtime", String.valueOf(mtimeMillis));
        KeyedOutput.file(what, archive, stampDir.resolve(archive.getFileName() + ".key"), inputs).make(log, tmp -> {
            DeterministicTar tar = new DeterministicTar(mtimeMillis);
            for (String rel : FileTrees.listFiles(dir)) {
                if (!rel.equals(KeyedOutput.STAMP)) {
                    tar.add(rel, dir.resolve(rel));
                }
            }
            log.info("Writing " + archive.getFileName() + " (" + tar.size() + " files)");
            tar.write(tmp);
        });
        return archive;
    }

    /** Copies {@code source} to {@code target} unless the copy is up to date. */
    public static Path copy(String what, Path source, Path target, Path stampDir, Log log) {
        BuildInputs inputs = new BuildInputs().put("source", Digests.sha256(source));
        KeyedOutput.file(what, target, stampDir.resolve(target.getFileName() + ".key"), inputs).make(log, tmp -> Files.copy(source, tmp));
        return target;
    }
}
