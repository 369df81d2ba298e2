package org.faasm.python.host.engine;

import java.nio.file.Path;
import java.util.List;
import run.endive.runtime.HostFunction;
import run.endive.runtime.Memory;

/**
 * The boundary between the local host and a WebAssembly engine. The host (WASI set-up, the
 * {@code env.__faasm_*} functions, limits, snapshots, staging) is written once against it; the
 * engines are {@link EndiveEngine} (pure JVM, everywhere) and {@link WasmtimeEngine} (native code
 * through JNI where its library loads). Host functions are Endive {@link HostFunction}s and guest
 * memory is an Endive {@link Memory} on both, so one implementation of WASI and of Faasm's host
 * interface serves both engines.
 */
public interface WasmEngine {
    /** The engine's name as {@code engine} spells it. */
    String name();

    /** The module in {@code wasm}, compiled, or its compiled code loaded from {@code codeCache} (each engine keeps its own directory below it, per engine version). */
    LoadedModule load(Path wasm, Path codeCache);

    /** A module's bytes and their sha256, which engines key their compiled code and memos by. */
    record WasmBytes(byte[] bytes, String sha256) {
        public static WasmBytes read(Path wasm) {
            try {
                byte[] b = java.nio.file.Files.readAllBytes(wasm);
                return new WasmBytes(b, org.faasm.python.host.util.Digests.sha256(b));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + wasm, e);
            }
        }
    }

    /**
     * Whether {@code [0, end)} lies in {@code memory}, cheaply: an engine's buffer view is refreshed
     * only when it is too small (a host function checks every guest buffer it is given).
     */
    static boolean holds(Memory memory, long end) {
        return memory instanceof BufferMemory b ? b.holds(end) : end <= (long) memory.pages() * 65536;
    }

    /** A compiled module. */
    interface LoadedModule {
        /** The sha256 of the wasm file. */
        String sha256();

        /** The pages of linear memory the module starts with. */
        int initialPages();

        /** A new instance linked against {@code imports}, whose memory cannot grow past {@code maxPages}. */
        Guest instantiate(List<HostFunction> imports, int maxPages);

        /**
         * The state calls start from, as this engine keeps it: ready for instances whose memory limit
         * is {@code maxPages} (others are restored by copying it).
         */
        default Snapshot snapshot(byte[] memory, long[][] globals, int maxPages) {
            return new Snapshot(memory, globals);
        }
    }

    /**
     * An instance, used by one thread at a time. A call that the guest ends with {@code proc_exit}
     * throws {@link run.endive.wasi.WasiExitException}; a host function's exception is thrown as it
     * was; a trap is a {@link run.endive.wasm.WasmEngineException} (a
     * {@link run.endive.runtime.WasmInterruptedException} when the deadline passed).
     */
    interface Guest extends AutoCloseable {
        /** Runs the module's {@code _initialize} (the WASI reactor start) unless the engine did when it linked the instance. */
        void initialize();

        /** Calls an exported function without arguments that returns an i32; stops it at {@code deadlineNanos} (System.nanoTime). */
        int call(String export, long deadlineNanos);

        Memory memory();

        /** The mutable state of the instance's globals (opaque to the host; given back to {@link #restoreGlobals}). */
        long[][] globals();

        void restoreGlobals(long[][] globals);

        /** Memory and globals as {@code snapshot} has them, pages past it zeroed; an engine may make a new instance from it instead. */
        default void restore(Snapshot snapshot) {
            Memory memory = memory();
            byte[] image = snapshot.memory();
            if (memory.pages() < snapshot.pages()) {
                memory.grow(snapshot.pages() - memory.pages());
            }
            memory.write(0, image);
            long end = (long) memory.pages() * 65536;
            if (end > image.length) {
                memory.fill((byte) 0, image.length, (int) end);
            }
            restoreGlobals(snapshot.globals());
        }

        /** The call ended: until the next {@link #restore} the engine may let go of the instance's memory. */
        default void idle() {
            // kept as it is
        }

        @Override
        void close();
    }
}
