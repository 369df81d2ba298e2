package org.faasm.python.host.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.faasm.python.host.run.FaasmHost;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;
import org.faasm.python.host.wasi.GuestMounts;

/**
 * The functions a local Faasm serves: those uploaded ({@code PUT /p/<user>/<function>}, kept in
 * Faasm's layout {@code <uploads>/<user>/<function>/function.py}) and those of a directory of the
 * default user's functions, one folder per function ({@code <functions>/<function>/function.py}).
 * An upload wins over the directory. Before each call the function's files are compared with what
 * the host staged (names, sizes, modification times, file keys), and an edited function is staged
 * again, so it takes effect on the next call with no restart and no new zygote.
 */
public final class FunctionStore {
    private final FaasmHost host;
    private final Path uploads;
    private final Path functions;
    private final String defaultUser;
    private final Log log;
    private final Map<String, Staged> staged = new ConcurrentHashMap<>();

    /** A staged function: what its files looked like when staged, and a lock calls hold against restaging. */
    private static final class Staged {
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        List<String> fingerprint;
    }

    /** A call's hold on a staged function; closing it lets the function be staged again. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    public FunctionStore(FaasmHost host, Path uploads, Path functions, String defaultUser, Log log) {
        this.host = host;
        this.uploads = uploads;
        this.functions = functions;
        this.defaultUser = defaultUser;
        this.log = log;
    }

    /** Stores an uploaded function's source (atomically: a call sees the old or the new file). */
    public void upload(String user, String function, byte[] source) {
        GuestMounts.checkNames(user, function);
        AtomicFiles.write(uploads.resolve(user).resolve(function).resolve("function.py"), source);
    }

    /** Where the function's source is, or null when it is neither uploaded nor in the functions directory. */
    Path source(String user, String function) {
        Path up = uploads.resolve(user).resolve(function);
        if (Files.isRegularFile(up.resolve("function.py"))) {
            return up;
        }
        if (functions != null && user.equals(defaultUser)) {
            Path dir = functions.resolve(function);
            if (Files.isRegularFile(dir.resolve("function.py"))) {
                return dir;
            }
        }
        return null;
    }

    /**
     * Stages the function if it is new or changed, and holds it staged until the lease is closed;
     * null when there is no such function. Names are checked first ({@link GuestMounts#checkNames}).
     */
    public Lease acquire(String user, String function) {
        GuestMounts.checkNames(user, function);
        Path source = source(user, function);
        if (source == null) {
            return null;
        }
        Staged s = staged.computeIfAbsent(user + "/" + function, k -> new Staged());
        List<String> now = fingerprint(source);
        if (!now.equals(s.fingerprint)) {
            s.lock.writeLock().lock();
            try {
                if (!now.equals(s.fingerprint)) {
                    host.stage(user, function, source);
                    log.info((s.fingerprint == null ? "Staged " : "Reloaded ") + user + "/" + function + " from " + source);
                    s.fingerprint = now;
                }
            } finally {
                s.lock.writeLock().unlock();
            }
        }
        s.lock.readLock().lock();
        return () -> s.lock.readLock().unlock();
    }

    /** Each file's relative path, size, modification time and file key, in order. */
    static List<String> fingerprint(Path dir) {
        try {
            return FileTrees.statListing(dir, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the function directory " + dir, e);
        }
    }
}
