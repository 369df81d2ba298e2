package org.faasm.python.core.sysroot;

import java.nio.file.Files;
import java.nio.file.Path;
import org.faasm.python.core.sources.ArchiveExtractor;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Log;

/**
 * Unpacks a sysroot archive (the {@code sysroot} artifact) into a directory that
 * {@code faasm-python:run} can use, once per archive content.
 */
public final class SysrootUnpacker {
    private SysrootUnpacker() {}

    public static Path unpack(Path archive, Path dir, Log log) {
        // the archive's paths are the sysroot's (several top-level directories): they are kept
        boolean extracted = ArchiveExtractor.extractOnce(archive, dir, staging -> {
            if (!Files.isRegularFile(SysrootLayout.entrypoint(staging))) {
                throw new FaasmException(archive + " is not a sysroot archive (no " + SysrootLayout.ENTRYPOINT + ")",
                        archive.toString(), "depend on the artifact with <type>tar.gz</type> and <classifier>sysroot</classifier>");
            }
        }, log);
        log.info(extracted ? "Unpacked " + archive.getFileName() + " into " + dir
                : "Sysroot in " + dir + " is up to date (" + archive.getFileName() + ")");
        return dir;
    }
}
