package org.faasm.python.host.wasi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostSetting;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.util.FileTrees;
import run.endive.wasi.WasiOptions;

/**
 * The guest file system of one host: guest {@code /} the runtime root and {@code /pyfuncs} the
 * staged function, both read-only and the same for every call (so one zygote snapshot serves every
 * function), and each call's own {@code /tmp}, all under one host directory that {@link #close()}
 * deletes.
 */
public final class GuestMounts implements AutoCloseable {
    private final Path dir;
    private final Path root;
    private final Path functions;
    /** The /tmp of WASI contexts made outside a call (the prototype of the imports): empty and read-only. */
    private final Path idleTmp;
    private final AtomicLong calls = new AtomicLong();
    private static final int EMPTY_TMPS = 16;
    /** Empty /tmp directories of calls that ended, with their mounts, for the next calls. */
    private final java.util.Deque<Path[]> emptyTmps = new java.util.ArrayDeque<>();

    /** Checks the user and function names: plain names, and no '_' in a user (state keys). */
    public static void checkNames(String user, String function) {
        FunctionStaging.checkName(user, "user", HostSetting.USER);
        if (user.contains("_")) {
            // Faasm keeps a state value under <user>_<key>: user a_b's key k and user a's key b_k would be one value
            throw new FaasmException("The user '" + user + "' has a '_': Faasm keeps state under <user>_<key>, so user '" + user
                    + "' and user '" + user.substring(0, user.indexOf('_')) + "' could read and write each other's values",
                    HostSetting.USER, "give a user name without '_' (keys may have '_')");
        }
        FunctionStaging.checkName(function, "function name", HostSetting.FUNCTION);
    }

    /** Checks that the runtime root has a standard library and the function directory (when given) a function.py. */
    public static void checkDirectories(Path runtimeRoot, Path functionDir) {
        if (!Files.isDirectory(runtimeRoot.resolve("lib"))) {
            throw new FaasmException("The runtime root " + runtimeRoot + " has no lib/ directory (no standard library)", runtimeRoot.toString(),
                    "point it at the runtime_root of a built or unpacked sysroot");
        }
        if (functionDir != null && !Files.isRegularFile(functionDir.resolve("function.py"))) {
            throw new FaasmException("No function.py in " + functionDir, functionDir.toString(),
                    "give the Python file of the function, or a directory that holds function.py");
        }
    }

    /**
     * Stages the function (checked with {@link #checkNames} and {@link #checkDirectories}), if one
     * is given (a server stages its functions with {@link #stage}); a refused one leaves nothing behind.
     */
    public GuestMounts(Path runtimeRoot, Path functionDir, String user, String function) {
        try {
            this.dir = Files.createTempDirectory("faasm-host");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.createDirectories(dir.resolve("idle"));
            Files.createDirectories(dir.resolve("calls"));
            Files.createDirectories(dir.resolve("pyfuncs"));
            if (functionDir != null) {
                FunctionStaging.copy(functionDir, dir.resolve("pyfuncs").resolve(user).resolve(function));
            }
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteRecursively(dir);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
        this.root = GuestFileSystem.mount(runtimeRoot, false);
        this.idleTmp = GuestFileSystem.mount(dir.resolve("idle"), false);
        this.functions = GuestFileSystem.mount(dir.resolve("pyfuncs"), false);
    }

    /**
     * Stages (or replaces) the function {@code user/function} from {@code source}, a directory
     * holding {@code function.py}: copied beside the staged one, then moved into its place, so a
     * refused or failed copy leaves the staged function as it was. The caller makes sure no call of
     * the function runs meanwhile.
     */
    public void stage(String user, String function, Path source) {
        checkNames(user, function);
        Path userDir = dir.resolve("pyfuncs").resolve(user);
        Path target = userDir.resolve(function);
        long n = calls.incrementAndGet();
        Path fresh = userDir.resolve("." + function + ".new-" + n);
        Path old = userDir.resolve("." + function + ".old-" + n);
        try {
            Files.createDirectories(userDir);
            FunctionStaging.copy(source, fresh);
            if (Files.exists(target)) {
                Files.move(target, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            GuestFileSystem.forget(functions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + source + " as " + user + "/" + function, e);
        } finally {
            FileTrees.deleteRecursively(fresh);
            FileTrees.deleteRecursively(old);
        }
    }

    /** A new call's /tmp, open files and their limits; {@code notice} says on the call's stderr which limit it reached. */
    public CallResources newCall(HostLimits limits, Consumer<String> notice) {
        Path[] tmp;
        synchronized (emptyTmps) {
            tmp = emptyTmps.poll();
        }
        if (tmp == null) {
            Path host = dir.resolve("calls").resolve(Long.toString(calls.incrementAndGet()));
            try {
                Files.createDirectory(host);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a call's /tmp " + host, e);
            }
            tmp = new Path[] {host, GuestFileSystem.mount(host, true)};
        }
        return new CallResources(tmp[0], tmp[1], limits, notice, this::keepEmpty);
    }

    /**
     * Keeps a call's /tmp that the call left empty for a later call, which cannot tell it from a new
     * one (creating and deleting a directory costs more than the rest of a small call's file system
     * work); more than {@value #EMPTY_TMPS} are deleted.
     */
    private boolean keepEmpty(Path host, Path mount) {
        synchronized (emptyTmps) {
            if (emptyTmps.size() < EMPTY_TMPS) {
                emptyTmps.push(new Path[] {host, mount});
                return true;
            }
            return false;
        }
    }

    /** A WASI context with these mounts, the /tmp of the call on this thread, and the guest's streams and environment. */
    public WasiOptions wasiOptions(OutputStream stdout, OutputStream stderr, Map<String, String> environment) {
        CallResources call = CallResources.current();
        WasiOptions.Builder b = WasiOptions.builder()
                .withStdout(stdout)
                .withStderr(stderr)
                .withStdin(new ByteArrayInputStream(new byte[0]))
                .withArguments(List.of("py_func"))
                .withDirectory("/", root)
                .withDirectory("/tmp", call == null ? idleTmp : call.tmpMount())
                .withDirectory("/pyfuncs", functions);
        environment.forEach(b::withEnvironment);
        return b.build();
    }

    @Override
    public void close() {
        FileTrees.deleteRecursively(dir);
    }
}
