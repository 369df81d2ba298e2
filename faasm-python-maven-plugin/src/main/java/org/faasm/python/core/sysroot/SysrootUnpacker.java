package org.faasm.python.core.sysroot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.faasm.python.core.FaasmException;
import org.faasm.python.core.sources.ArchiveExtractor;
import org.faasm.python.core.util.AtomicFiles;
import org.faasm.python.core.util.Digests;
import org.faasm.python.core.util.FileTrees;
import org.faasm.python.core.util.Log;

/**
 * Unpacks a sysroot archive (the {@code sysroot} artifact) into a directory that
 * {@code faasm-python:run} can use, once per archive content.
 */
public final class SysrootUnpacker {
    private SysrootUnpacker() {}

    public static Path unpack(Path archive, Path dir, Log log) {
        String stamp = "archive:" + Digests.sha256(archive);
        try {
            if (Files.isRegularFile(dir.resolve(".faasm-sysroot")) && Files.readString(dir.resolve(".faasm-sysroot")).equals(stamp)) {
                log.info("Sysroot in " + dir + " is up to date (" + archive.getFileName() + ")");
                return dir;
            }
            // the archive's paths are the sysroot's (several top-level directories): keep them
            Path staging = AtomicFiles.tempSibling(dir);
            ArchiveExtractor.extract(archive, staging, false);
            if (!Files.isRegularFile(staging.resolve(SysrootAssembler.entrypointPath()))) {
                FileTrees.deleteRecursively(staging);
                throw new FaasmException(archive + " is not a sysroot archive (no " + SysrootAssembler.entrypointPath() + ")",
                        archive.toString(), "depend on the artifact with <type>tar.gz</type> and <classifier>sysroot</classifier>");
            }
            Files.writeString(staging.resolve(".faasm-sysroot"), stamp);
            FileTrees.deleteRecursively(dir);
            Files.move(staging, dir);
            log.info("Unpacked " + archive.getFileName() + " into " + dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
