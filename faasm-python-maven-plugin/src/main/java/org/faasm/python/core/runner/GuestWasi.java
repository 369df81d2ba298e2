package org.faasm.python.core.runner;

import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import run.endive.runtime.HostFunction;
import run.endive.runtime.WasmFunctionHandle;
import run.endive.wasi.WasiOptions;
import run.endive.wasi.WasiPreview1;

/**
 * The WASI preview 1 imports of one guest instance. The instance is linked once against stable
 * functions that call the current WASI context; {@link #reset()} gives the next call a fresh one
 * (descriptor table, preopens), so nothing a call does to its descriptors, such as closing the root
 * preopen, reaches the next call. A change refused by a read-only {@link GuestFileSystem} mount is
 * reported to the guest as {@code EROFS}, as a read-only Faasm runtime root would report it.
 */
final class GuestWasi implements AutoCloseable {
    /** WASI functions that can change files: an EIO from a refused change becomes EROFS. */
    private static final Set<String> CHANGING = Set.of("path_open", "path_create_directory", "path_remove_directory",
            "path_unlink_file", "path_rename", "path_link", "path_symlink", "path_filestat_set_times", "fd_filestat_set_times",
            "fd_filestat_set_size", "fd_allocate");
    // WASI preview 1 errno values
    private static final long EBADF = 8;
    private static final long EIO = 29;
    private static final long EROFS = 69;

    private final Supplier<WasiOptions> options;
    /** Position of each WASI function in {@link #current}. */
    private final Map<String, Integer> index = new HashMap<>();
    private final List<HostFunction> imports = new ArrayList<>();
    private WasmFunctionHandle[] current;
    private WasiPreview1 wasi;

    GuestWasi(Supplier<WasiOptions> options) {
        this.options = options;
        HostFunction[] prototype;
        try (WasiPreview1 first = WasiPreview1.builder().withOptions(options.get()).build()) {
            prototype = first.toHostFunctions();
        }
        for (int i = 0; i < prototype.length; i++) {
            index.put(prototype[i].name(), i);
        }
        open();
        for (HostFunction f : prototype) {
            String name = f.name();
            int slot = index.get(name);
            boolean changing = CHANGING.contains(name);
            imports.add(new HostFunction(f.module(), name, f.functionType(), (instance, args) -> {
                if (changing) {
                    GuestFileSystem.clearRefusal();
                }
                long[] r;
                try {
                    r = current[slot].apply(instance, args);
                } catch (NonWritableChannelException | NonReadableChannelException e) {
                    return new long[] {EBADF};
                }
                if (changing && r != null && r.length == 1 && r[0] == EIO && GuestFileSystem.refused()) {
                    r[0] = EROFS;
                }
                return r;
            }));
        }
    }

    private void open() {
        if (wasi != null) {
            wasi.close();
        }
        wasi = WasiPreview1.builder().withOptions(options.get()).build();
        WasmFunctionHandle[] handles = new WasmFunctionHandle[index.size()];
        for (HostFunction f : wasi.toHostFunctions()) {
            handles[index.get(f.name())] = f.handle();
        }
        current = handles;
    }

    /** The functions to link the instance against. */
    List<HostFunction> imports() {
        return imports;
    }

    /** A fresh WASI context (descriptors, preopens, streams) for the next call. */
    void reset() {
        open();
    }

    @Override
    public void close() {
        if (wasi != null) {
            wasi.close();
        }
    }
}
