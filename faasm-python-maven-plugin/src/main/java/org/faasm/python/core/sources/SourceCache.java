package org.faasm.python.core.sources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * Content-addressed store of downloaded archives: {@code <root>/sha256/<digest>/<file name>}. Only
 * verified files enter it; every read verifies the digest again and evicts a file that no longer
 * matches. Shared by every checkout that uses the same cache directory.
 */
public final class SourceCache {
    private final Path root;
    private final Log log;

    public SourceCache(Path root, Log log) {
        this.root = root;
        this.log = log;
    }

    public Path root() {
        return root;
    }

    Path slot(String sha256) {
        return root.resolve("sha256").resolve(sha256);
    }

    /** The verified cached archive with this digest. */
    public Optional<Path> find(String sha256) {
        Path slot = slot(sha256);
        if (!Files.isDirectory(slot)) {
            return Optional.empty();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(slot)) {
            files = s.filter(p -> !p.getFileName().toString().startsWith(".")).filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + slot, e);
        }
        for (Path f : files) {
            String actual = Digests.sha256(f);
            if (actual.equals(sha256)) {
                return Optional.of(f);
            }
            log.warn("Cached file " + f + " is corrupt (sha256 " + actual + ", expected " + sha256 + "); removing it");
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + f, e);
            }
        }
        return Optional.empty();
    }

    /**
     * Moves a file whose digest the caller has just verified into the cache and returns its place.
     * The file is copied first when {@code move} is false.
     */
    public Path put(Path verifiedFile, String sha256, String fileName, boolean move) {
        Path slot = slot(sha256);
        Path target = slot.resolve(fileName);
        try {
            Files.createDirectories(slot);
            Path tmp = AtomicFiles.tempSibling(target);
            if (move) {
                Files.move(verifiedFile, tmp);
            } else {
                Files.copy(verifiedFile, tmp);
            }
            String actual = Digests.sha256(tmp);
            if (!actual.equals(sha256)) {
                Files.deleteIfExists(tmp);
                throw new IllegalStateException("file changed while it was being cached: " + verifiedFile);
            }
            AtomicFiles.moveReplacing(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + fileName + " in " + slot, e);
        }
        return target;
    }

    /** A scratch directory inside the cache for downloads in progress (same file system: cheap moves). */
    public Path incoming() {
        Path dir = root.resolve("incoming");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }

    public void clear() {
        FileTrees.deleteRecursively(root);
    }
}
