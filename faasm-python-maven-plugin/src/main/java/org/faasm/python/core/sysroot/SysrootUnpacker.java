package org.faasm.python.core.sysroot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.faasm.python.core.FaasmException;
import org.faasm.python.core.util.Digests;
import org.faasm.python.core.util.Log;

/**
 * Unpacks a sysroot archive (the {@code sysroot} artifact) into a directory that
 * {@code faasm-python:run} can use, once per archive content.
 */
public final class SysrootUnpacker {
    private SysrootUnpacker() {}

    public static Path unpack(Path archive, Path dir, Log log) {
        String sha = Digests.sha256(archive);
        String stamp = "archive:" + sha;
        try {
            if (Files.isRegularFile(dir.resolve(".faasm-sysroot")) && Files.readString(dir.resolve(".faasm-sysroot")).equals(stamp)) {
                log.info("Sysroot in " + dir + " is up to date (" + archive.getFileName() + ")");
                return dir;
            }
            // the archive has no single top-level directory: extract below a wrapper and move it up
            Path staging = dir.resolveSibling("." + dir.getFileName() + ".unpack");
            org.faasm.python.core.util.FileTrees.deleteRecursively(staging);
            Path wrapped = repack(archive, staging);
            if (!Files.isRegularFile(wrapped.resolve(SysrootAssembler.entrypointPath()))) {
                org.faasm.python.core.util.FileTrees.deleteRecursively(staging);
                throw new FaasmException(archive + " is not a sysroot archive (no " + SysrootAssembler.entrypointPath() + ")",
                        archive.toString(), "depend on the artifact with <type>tar.gz</type> and <classifier>sysroot</classifier>");
            }
            Files.writeString(wrapped.resolve(".faasm-sysroot"), stamp);
            org.faasm.python.core.util.FileTrees.deleteRecursively(dir);
            Files.move(wrapped, dir);
            org.faasm.python.core.util.FileTrees.deleteRecursively(staging);
            log.info("Unpacked " + archive.getFileName() + " into " + dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repack(Path archive, Path staging) throws IOException {
        // ArchiveExtractor drops one top-level directory; the sysroot archive has several, so extract
        // it as the content of a directory named by the first path component of each entry
        Files.createDirectories(staging);
        Path out = staging.resolve("sysroot");
        Files.createDirectories(out);
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(archive));
                var gz = new java.util.zip.GZIPInputStream(in);
                var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(gz)) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
            Path root = out.toAbsolutePath().normalize();
            while ((e = tar.getNextEntry()) != null) {
                Path dest = root.resolve(e.getName()).normalize();
                if (!dest.startsWith(root) || e.getName().startsWith("/")) {
                    throw new FaasmException("Archive " + archive + " has an entry outside the target: " + e.getName(), archive.toString(),
                            "do not use this archive");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(dest);
                } else if (e.isFile()) {
                    Files.createDirectories(dest.getParent());
                    Files.copy(tar, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new FaasmException("Archive " + archive + " is corrupt or truncated: " + e.getMessage(), archive.toString(),
                    "delete it from the local repository so it is resolved again", e);
        }
        return out;
    }

}
