package org.faasm.python.host.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes outputs under a temporary name next to their destination and moves them into place, so an
 * interrupted build never leaves a half-written file that a later build trusts.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** A fresh temporary sibling path of {@code target} (not created). */
    public static Path tempSibling(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        String name = "." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        return parent.resolve(name);
    }

    public static void writeString(Path target, String content) {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] content) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = tempSibling(target);
            Files.write(tmp, content);
            moveReplacing(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Atomically moves a file into place, replacing an existing file. */
    public static void moveReplacing(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Moves a finished directory into place. If another process published the same key first, the
     * candidate is discarded and false is returned (content-keyed: both are the same content).
     */
    public static boolean publishDirectory(Path candidate, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        try {
            Files.move(candidate, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            FileTrees.deleteRecursively(candidate);
            return false;
        }
    }
}
