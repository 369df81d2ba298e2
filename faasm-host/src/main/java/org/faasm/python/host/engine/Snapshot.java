package org.faasm.python.host.engine;

/**
 * The state every call starts from: an instance's linear memory and globals after the zygote. An
 * engine may keep it in a form of its own as well ({@link WasmEngine.LoadedModule#snapshot}), as
 * wasmtime keeps it as a memory image it maps copy-on-write; {@link #close()} lets go of that.
 */
public class Snapshot implements AutoCloseable {
    private final byte[] memory;
    private final long[][] globals;

    public Snapshot(byte[] memory, long[][] globals) {
        this.memory = memory;
        this.globals = globals;
    }

    /** The memory, whole pages of it. */
    public byte[] memory() {
        return memory;
    }

    /** The globals, as {@link WasmEngine.Guest#globals()} gave them. */
    public long[][] globals() {
        return globals;
    }

    public int pages() {
        return memory.length / 65536;
    }

    @Override
    public void close() {
        // nothing beyond the arrays
    }
}
