package org.faasm.python.host.wasi;

import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.faasm.python.host.engine.WasmEngine;
import run.endive.runtime.HostFunction;
import run.endive.runtime.Memory;
import run.endive.runtime.WasmFunctionHandle;
import run.endive.wasi.WasiOptions;
import run.endive.wasi.WasiPreview1;

/**
 * The WASI preview 1 imports of one guest instance. The instance is linked once against stable
 * functions that call the current WASI context; {@link #reset()} gives the next call one as new
 * (descriptor table, preopens), so nothing a call does to its descriptors, such as closing the root
 * preopen or leaving a file open, reaches the next call. A context the last call left as it found
 * it (every file it opened closed, the first descriptors untouched, the same mounts) serves the
 * next call too, which saves building one per call. A change refused by a read-only
 * {@link GuestFileSystem} mount is reported to the guest as {@code EROFS}, as a read-only Faasm
 * runtime root would report it, and a limit the guest file system enforces as its own errno
 * ({@code ENAMETOOLONG}, {@code ENOSPC}, {@code EMFILE}).
 *
 * <p>Every guest buffer a WASI function is given (paths, I/O vectors and the buffers they point
 * to) is checked against the guest's memory before the call reaches the WASI layer, which would
 * otherwise allocate a host array of the length the guest gave first: a buffer outside memory is
 * {@code EFAULT}, and the host allocates nothing larger than the guest's memory.
 */
public final class GuestWasi implements AutoCloseable {
    // WASI preview 1 errno values
    private static final long EBADF = 8;
    private static final long EFAULT = 21;
    private static final long EIO = 29;

    /** Per WASI function, its guest buffers: pairs of (pointer, length) argument positions. */
    private static final Map<String, int[]> BUFFERS = Map.ofEntries(
            Map.entry("path_create_directory", new int[] {1, 2}),
            Map.entry("path_filestat_get", new int[] {2, 3}),
            Map.entry("path_filestat_set_times", new int[] {2, 3}),
            Map.entry("path_link", new int[] {2, 3, 5, 6}),
            Map.entry("path_open", new int[] {2, 3}),
            Map.entry("path_readlink", new int[] {1, 2, 3, 4}),
            Map.entry("path_remove_directory", new int[] {1, 2}),
            Map.entry("path_rename", new int[] {1, 2, 4, 5}),
            Map.entry("path_symlink", new int[] {0, 1, 3, 4}),
            Map.entry("path_unlink_file", new int[] {1, 2}),
            Map.entry("fd_prestat_dir_name", new int[] {1, 2}),
            Map.entry("fd_readdir", new int[] {1, 2}),
            Map.entry("random_get", new int[] {0, 1}));
    /** WASI functions whose arguments 1 and 2 are an array of I/O vectors (pointer, length) and its length. */
    private static final Set<String> VECTORS = Set.of("fd_read", "fd_pread", "fd_write", "fd_pwrite");

    private static final long ENOTSUP = 58;
    private static final int FDFLAGS_NONBLOCK = 4;

    private final Supplier<WasiOptions> options;
    /** Regular files the guest set O_NONBLOCK on ({@link #nonBlocking}), in the current context. */
    private final Set<Long> nonBlockingFds = new java.util.HashSet<>();
    private final int setFlags;
    private final int fdstatGet;
    private final int closeSlot;
    private final int renumber;
    /** Position of each WASI function in {@link #current}. */
    private final Map<String, Integer> index = new HashMap<>();
    private final List<HostFunction> imports = new ArrayList<>();
    private WasmFunctionHandle[] current;
    private WasiPreview1 wasi;
    /** The mounts of the current context, and its first descriptor after stdio and the preopens. */
    private Map<String, java.nio.file.Path> directories;
    private int firstFree;
    /** Files opened and not yet closed in the current context, and whether a call changed its first descriptors. */
    private int opened;
    private boolean changedTable;

    private static final int OPENS = 1;
    private static final int CLOSES = 2;
    private static final int SETS_FLAGS = 3;
    private static final int RENUMBERS = 4;

    public GuestWasi(Supplier<WasiOptions> options) {
        this.options = options;
        HostFunction[] prototype;
        try (WasiPreview1 first = WasiPreview1.builder().withOptions(options.get()).build()) {
            prototype = first.toHostFunctions();
        }
        for (int i = 0; i < prototype.length; i++) {
            index.put(prototype[i].name(), i);
        }
        setFlags = index.get("fd_fdstat_set_flags");
        fdstatGet = index.get("fd_fdstat_get");
        closeSlot = index.get("fd_close");
        renumber = index.get("fd_renumber");
        open(options.get());
        for (HostFunction f : prototype) {
            String name = f.name();
            int slot = index.get(name);
            int[] buffers = BUFFERS.get(name);
            boolean vectors = VECTORS.contains(name);
            int changes = switch (name) {
                case "path_open" -> OPENS;
                case "fd_close" -> CLOSES;
                case "fd_fdstat_set_flags" -> SETS_FLAGS;
                case "fd_renumber", "fd_fdstat_set_rights" -> RENUMBERS;
                default -> 0;
            };
            imports.add(new HostFunction(f.module(), name, f.functionType(), (instance, args) -> {
                if ((buffers != null && !buffersInside(instance.memory(), args, buffers))
                        || (vectors && !vectorsInside(instance.memory(), args))) {
                    return new long[] {EFAULT};
                }
                GuestFileSystem.clearRefusal();
                long[] r;
                try {
                    r = current[slot].apply(instance, args);
                } catch (NonWritableChannelException | NonReadableChannelException e) {
                    return new long[] {EBADF};
                }
                if (slot == setFlags || slot == fdstatGet || ((slot == closeSlot || slot == renumber) && r != null && r.length == 1 && r[0] == 0)) {
                    r = nonBlocking(slot, instance.memory(), args, r, () -> current[slot].apply(instance, new long[] {args[0], args[1] & ~FDFLAGS_NONBLOCK}));
                }
                int refusal = GuestFileSystem.refusal();
                if (refusal != 0 && r != null && r.length == 1 && r[0] == EIO) {
                    r[0] = refusal;
                }
                if (changes != 0 && r != null && r.length == 1 && r[0] == 0) {
                    changed(changes, args);
                }
                return r;
            }));
        }
    }

    /**
     * O_NONBLOCK on a regular file: the WASI layer cannot change an open file's flags (ENOTSUP) and the
     * flag changes nothing for a regular file, so it is remembered per descriptor and reported by
     * {@code fd_fdstat_get} (CPython's os.set_blocking and os.get_blocking). Other refusals stay as they are.
     */
    private long[] nonBlocking(int slot, Memory memory, long[] args, long[] r, java.util.function.Supplier<long[]> withoutNonBlock) {
        if (r == null || r.length != 1) {
            return r;
        }
        long fd = args[0];
        if (slot == setFlags) {
            if (r[0] == ENOTSUP && (args[1] & FDFLAGS_NONBLOCK) != 0) {
                long[] again = withoutNonBlock.get();
                if (again != null && again.length == 1 && again[0] == 0) {
                    nonBlockingFds.add(fd);
                }
                return again;
            }
            if (r[0] == 0) {
                nonBlockingFds.remove(fd);
            }
        } else if (slot == fdstatGet) {
            if (r[0] == 0 && nonBlockingFds.contains(fd)) {
                int flags = (int) args[1] + 2;
                memory.writeShort(flags, (short) (memory.readShort(flags) | FDFLAGS_NONBLOCK));
            }
        } else if (slot == closeSlot) {
            nonBlockingFds.remove(fd);
        } else if (nonBlockingFds.remove(fd)) {
            // fd_renumber(fd, to): the flag goes with the file
            nonBlockingFds.add(args[1]);
        } else {
            nonBlockingFds.remove(args[1]);
        }
        return r;
    }

    /** Whether every (pointer, length) pair at {@code positions} lies in the guest's memory. */
    private static boolean buffersInside(Memory memory, long[] args, int[] positions) {
        for (int i = 0; i < positions.length; i += 2) {
            if (!inside(memory, args[positions[i]], args[positions[i + 1]])) {
                return false;
            }
        }
        return true;
    }

    /** Whether the I/O vector array (arguments 1, 2) and every buffer it names lie in the guest's memory. */
    private static boolean vectorsInside(Memory memory, long[] args) {
        long iovs = args[1] & 0xFFFFFFFFL;
        long count = args[2] & 0xFFFFFFFFL;
        if (!inside(memory, iovs, count * 8)) {
            return false;
        }
        for (long i = 0; i < count; i++) {
            long base = memory.readInt((int) (iovs + i * 8)) & 0xFFFFFFFFL;
            long length = memory.readInt((int) (iovs + i * 8 + 4)) & 0xFFFFFFFFL;
            if (!inside(memory, base, length)) {
                return false;
            }
        }
        return true;
    }

    /** Whether [pointer, pointer + length), both unsigned 32-bit values, lies in the guest's memory. */
    private static boolean inside(Memory memory, long pointer, long length) {
        return WasmEngine.holds(memory, (pointer & 0xFFFFFFFFL) + (length & 0xFFFFFFFFL));
    }

    /** Counts what a successful WASI call did to the descriptor table. */
    private void changed(int what, long[] args) {
        switch (what) {
            case OPENS -> opened++;
            case CLOSES -> {
                if (args[0] < firstFree) {
                    changedTable = true;
                } else {
                    opened--;
                }
            }
            case SETS_FLAGS -> changedTable |= args[0] < firstFree;
            default -> changedTable = true;
        }
    }

    /** Whether the context is as new: every file the call opened is closed, and the first descriptors are as they were. */
    private boolean asNew() {
        return wasi != null && opened == 0 && !changedTable;
    }

    private void open(WasiOptions o) {
        if (wasi != null) {
            wasi.close();
        }
        wasi = WasiPreview1.builder().withOptions(o).build();
        directories = o.directories();
        nonBlockingFds.clear();
        firstFree = 3 + directories.size();
        opened = 0;
        changedTable = false;
        WasmFunctionHandle[] handles = new WasmFunctionHandle[index.size()];
        for (HostFunction f : wasi.toHostFunctions()) {
            handles[index.get(f.name())] = f.handle();
        }
        current = handles;
    }

    /** The functions to link the instance against. */
    public List<HostFunction> imports() {
        return imports;
    }

    /**
     * A WASI context as new (descriptors, preopens, streams) for the next call: the last call's when
     * that call left it as new (it closed what it opened and left the first descriptors alone) and
     * the mounts are the same, which costs nothing; else a new one.
     */
    public void reset() {
        WasiOptions o = options.get();
        if (!asNew() || !o.directories().equals(directories)) {
            open(o);
        }
    }

    /** Ends the call's WASI context: one the call did not leave as new is closed, and the files it left open with it. */
    public void endCall() {
        if (wasi != null && !asNew()) {
            wasi.close();
            wasi = null;
        }
    }

    @Override
    public void close() {
        if (wasi != null) {
            wasi.close();
            wasi = null;
        }
    }
}
