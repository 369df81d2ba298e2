package org.faasm.python.core.cpython;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.faasm.python.core.build.ProcessRunner;
import org.faasm.python.core.sources.ArchiveExtractor;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.keyed.KeyedOutput;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * A prepared source tree under target/: extracted (or copied from a git checkout), patched, marked
 * with the id of what it was made from so it is reused while that does not change.
 */
public final class SourceTree {
    private SourceTree() {}

    /**
     * @param id the source id (archive digest or git commit, plus patch digests)
     * @param archive the archive to extract, or null when {@code checkout} is given
     * @param checkout a git checkout to copy, or null
     */
    public static Path prepare(String id, Path archive, Path checkout, List<Path> patches, Path dest, ProcessRunner runner,
            Path logFile, Log log) {
        KeyedOutput.directory("Source tree " + dest.getFileName(), dest, new BuildInputs().put("source", id)).make(log, tmp -> {
            if (archive != null) {
                log.info("Extracting " + archive.getFileName() + " to " + dest);
                ArchiveExtractor.extract(archive, tmp);
            } else {
                FileTrees.deleteRecursively(tmp);
                FileTrees.copyTree(checkout, tmp);
            }
            applyPatches(patches, tmp, "", runner, logFile);
        });
        return dest;
    }

    /**
     * Applies patches with {@code patch -p1} in {@code dir}, in order.
     *
     * @param label prefix of the step names in the log (e.g. "module six: ")
     */
    public static void applyPatches(List<Path> patches, Path dir, String label, ProcessRunner runner, Path logFile) {
        for (Path patch : patches) {
            runner.run(label + "patch " + patch.getFileName(),
                    List.of("patch", "-p1", "--forward", "--batch", "-i", patch.toAbsolutePath().toString()), dir, Map.of(), logFile);
        }
    }

    private static final Pattern PY_VERSION = Pattern.compile("#define\\s+PY_VERSION\\s+\"([0-9]+\\.[0-9]+\\.[0-9]+)[^\"]*\"");

    /** The full version (e.g. 3.13.15) from Include/patchlevel.h. */
    public static String pythonVersion(Path cpythonSource) {
        Path patchlevel = cpythonSource.resolve("Include/patchlevel.h");
        try {
            Matcher m = PY_VERSION.matcher(Files.readString(patchlevel));
            if (m.find()) {
                return m.group(1);
            }
        } catch (IOException e) {
            // fall through to the error
        }
        throw new FaasmException("Cannot read the Python version from " + patchlevel, patchlevel.toString(),
                "the source does not look like a CPython tree; check the pin or git URL");
    }
}
