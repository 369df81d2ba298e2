package org.faasm.python.host.wasi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.util.FileTrees;

/**
 * What one call takes from the host besides its memory, and gives back when it ends: its own
 * {@code /tmp} (a fresh host directory, deleted with the call), the bytes kept there (at most
 * {@code tmpSize}, sparse files counted at their size) and the files it holds open (at most
 * {@code maxOpenFiles}). The guest file system finds the call's resources through
 * {@link #current()}: every WASI function of a call runs on that call's guest thread.
 *
 * <p>Bytes are counted as they are written (growth of a file past its size); deleting, truncating or
 * replacing a file only marks the count as stale, and a write that would pass the limit on a stale
 * count first counts again what the directory really holds, with the files still open after their
 * last link went, so a call cannot escape the limit by deleting open files.
 */
public final class CallResources implements AutoCloseable {
    private static final ThreadLocal<CallResources> CURRENT = new ThreadLocal<>();

    private final Path tmpDir;
    private final Path tmpMount;
    private final long tmpLimit;
    private final int maxOpen;
    private final Consumer<String> notice;
    private final BiPredicate<Path, Path> keepEmpty;
    private final Set<String> noticed = new HashSet<>();
    private final Set<AccountedChannel> openTmp = new HashSet<>();
    private int open;
    private long tmpUsed;
    private boolean stale;

    /**
     * @param tmpDir the host directory that is the call's {@code /tmp}, empty
     * @param tmpMount the guest file system's mount of it
     * @param notice where to say, once per limit and call, that a limit was reached (the call's stderr)
     * @param keepEmpty takes the directory and its mount back when the call leaves it empty (false: delete it)
     */
    CallResources(Path tmpDir, Path tmpMount, HostLimits limits, Consumer<String> notice, BiPredicate<Path, Path> keepEmpty) {
        this.tmpDir = tmpDir;
        this.tmpMount = tmpMount;
        this.tmpLimit = limits.tmpSizeBytes();
        this.maxOpen = limits.maxOpenFiles();
        this.notice = notice;
        this.keepEmpty = keepEmpty;
    }

    /** The resources of the call running on this thread, or null outside a call. */
    public static CallResources current() {
        return CURRENT.get();
    }

    /** Makes these the resources of the call on this thread until {@link #close()}. */
    public CallResources enter() {
        CURRENT.set(this);
        return this;
    }

    /** The guest view of the call's {@code /tmp}, to mount. */
    public Path tmpMount() {
        return tmpMount;
    }

    // ------------------------------------------------------------------ open files

    /** Counts a file about to be opened; past {@code maxOpenFiles} the open fails with EMFILE. */
    synchronized void opening(String path) throws IOException {
        if (open >= maxOpen) {
            say("maxOpenFiles", "the call holds " + open + " open files, the limit maxOpenFiles = " + maxOpen
                    + "; opening more fails with EMFILE (close files, or raise maxOpenFiles)");
            throw GuestFileSystem.refuse(GuestFileSystem.EMFILE, new IOException(path + ": too many open files (maxOpenFiles)"));
        }
        open++;
    }

    synchronized void opened(AccountedChannel tmpFile) {
        if (tmpFile != null) {
            openTmp.add(tmpFile);
        }
    }

    synchronized void closed(AccountedChannel channel) {
        open--;
        if (openTmp.remove(channel)) {
            stale = true;
        }
    }

    public synchronized int openFiles() {
        return open;
    }

    // ------------------------------------------------------------------ bytes in /tmp

    /** A file of the call's /tmp grows by {@code bytes}; past {@code tmpSize} the write fails with ENOSPC. */
    synchronized void grow(long bytes, String path) throws IOException {
        if (bytes <= 0) {
            return;
        }
        if (tmpUsed + bytes > tmpLimit && stale) {
            tmpUsed = countTmp();
            stale = false;
        }
        if (tmpUsed + bytes > tmpLimit) {
            say("tmpSize", "the call's /tmp holds " + (tmpUsed >> 20) + " MiB, and a write of " + bytes + " more bytes would pass"
                    + " tmpSize = " + (tmpLimit >> 20) + " MiB; it fails with ENOSPC (free space in /tmp, or raise tmpSize)");
            throw GuestFileSystem.refuse(GuestFileSystem.ENOSPC, new IOException(path + ": no space left in /tmp (tmpSize)"));
        }
        tmpUsed += bytes;
    }

    /** Something in /tmp may have shrunk (a delete, a truncation, a replaced file): count again when the limit is near. */
    synchronized void freed() {
        stale = true;
    }

    /** The bytes the call's /tmp holds: every file once (hard links), and the open files no name leads to any more. */
    public synchronized long countTmp() {
        Set<Object> seen = new HashSet<>();
        long[] total = {0};
        try {
            Files.walkFileTree(tmpDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Object key = attrs.fileKey() == null ? file : attrs.fileKey();
                    if (attrs.isRegularFile() && seen.add(key)) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot count the call's /tmp " + tmpDir, e);
        }
        for (AccountedChannel c : openTmp) {
            if (c.fileKey() == null || !seen.contains(c.fileKey())) {
                total[0] += c.sizeOrZero();
            }
        }
        return total[0];
    }

    private void say(String limit, String message) {
        if (noticed.add(limit)) {
            notice.accept(message);
        }
    }

    /** Leaves the thread, and deletes the call's /tmp with everything in it. */
    @Override
    public void close() {
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
        boolean empty;
        try (java.nio.file.DirectoryStream<Path> left = Files.newDirectoryStream(tmpDir)) {
            empty = !left.iterator().hasNext();
        } catch (IOException e) {
            empty = false;
        }
        if (!empty || !keepEmpty.test(tmpDir, tmpMount)) {
            FileTrees.deleteRecursively(tmpDir);
        }
    }
}
