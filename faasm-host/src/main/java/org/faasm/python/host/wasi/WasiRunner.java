package org.faasm.python.host.wasi;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.engine.CompiledModules;
import org.faasm.python.host.engine.Engines;
import org.faasm.python.host.engine.WasmEngine;
import org.faasm.python.host.util.Log;
import run.endive.runtime.ImportValues;
import run.endive.runtime.Instance;
import run.endive.runtime.WasmInterruptedException;
import run.endive.wasi.WasiExitException;
import run.endive.wasi.WasiOptions;

/**
 * Runs a WASI command module (such as {@code python.wasm}) with the local host's WASI layer
 * ({@link GuestWasi}): on Endive (Chicory's continuation), the pure-Java WebAssembly runtime, with
 * the module compiled to JVM bytecode once per JVM (the default), or on any engine of the local host
 * ({@link #engine}, e.g. wasmtime, the host's default). Only the directories given as mounts are
 * visible to the guest, read-only (a write fails with EROFS) unless mounted with {@link #mountWritable}.
 */
public final class WasiRunner {

    /** What a run gives back. */
    public record Result(int exitCode, boolean timedOut) {
        public Result(int exitCode) {
            this(exitCode, false);
        }
    }

    /** The exit code of a run stopped at its deadline (as {@code timeout(1)} reports one). */
    public static final int TIMED_OUT = 124;
    /** The native stack of the thread a command runs on ({@link #engine}). */
    static final long STACK_BYTES = 256L << 20;

    private final Path wasm;
    private Path compilerCache;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, Path> mounts = new LinkedHashMap<>();
    private final java.util.Set<String> writable = new java.util.HashSet<>();
    private String engine;
    private long timeoutNanos;
    private OutputStream stdout = System.out;
    private OutputStream stderr = System.err;
    private byte[] stdin = new byte[0];

    public WasiRunner(Path wasm) {
        this.wasm = wasm;
    }

    /** Keeps compiled bytecode in this directory (per Endive version) across JVMs. */
    public WasiRunner compilerCache(Path dir) {
        this.compilerCache = dir;
        return this;
    }

    public WasiRunner args(List<String> argv) {
        args.clear();
        args.addAll(argv);
        return this;
    }

    public WasiRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Makes the host directory {@code host} visible to the guest at {@code guestPath}, read-only. */
    public WasiRunner mount(String guestPath, Path host) {
        mounts.put(guestPath, host);
        return this;
    }

    /** Makes the host directory {@code host} visible to the guest at {@code guestPath}, read-write. */
    public WasiRunner mountWritable(String guestPath, Path host) {
        mounts.put(guestPath, host);
        writable.add(guestPath);
        return this;
    }

    /**
     * Runs on the local host's engine {@code name} ({@code wasmtime}, {@code chicory} or {@code auto},
     * as {@link Engines#select} takes it); null (the default) runs on Endive as before.
     */
    public WasiRunner engine(String name) {
        this.engine = name;
        return this;
    }

    /** Stops the run after {@code timeout} (on an engine given with {@link #engine}); zero or less: no limit. */
    public WasiRunner timeout(java.time.Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        return this;
    }

    public WasiRunner stdout(OutputStream out) {
        this.stdout = out;
        return this;
    }

    public WasiRunner stderr(OutputStream err) {
        this.stderr = err;
        return this;
    }

    public WasiRunner stdin(byte[] in) {
        this.stdin = in.clone();
        return this;
    }

    public Result run() {
        if (!Files.isRegularFile(wasm)) {
            throw new FaasmException("WebAssembly module " + wasm + " does not exist", wasm.toString(),
                    "build it first (./mvnw install) or point at an existing .wasm file");
        }
        WasiOptions.Builder opts = WasiOptions.builder()
                .withStdout(stdout)
                .withStderr(stderr)
                .withStdin(new ByteArrayInputStream(stdin))
                .withArguments(args);
        env.forEach(opts::withEnvironment);
        mounts.forEach((guest, host) -> opts.withDirectory(guest, GuestFileSystem.mount(host, writable.contains(guest))));
        if (engine != null) {
            return runOn(Engines.select(engine, Log.NONE), opts);
        }
        CompiledModules.Compiled c = CompiledModules.get(wasm, compilerCache);
        // the same WASI imports as the Faasm host: a refused write is EROFS here too
        try (GuestWasi wasi = new GuestWasi(opts::build)) {
            ImportValues imports = ImportValues.builder().withFunctions(new java.util.ArrayList<>(wasi.imports())).build();
            Instance instance = Instance.builder(c.module())
                    .withImportValues(imports)
                    .withMachineFactory(c.machines())
                    .withStart(false)
                    .build();
            try {
                instance.export("_start").apply();
                return new Result(0);
            } catch (WasiExitException e) {
                return new Result(e.exitCode());
            }
        }
    }

    /**
     * Runs {@code _start} on {@code e}, in a fresh instance with the host's WASI layer, whose memory may
     * grow to the host's default limit ({@link org.faasm.python.host.HostLimits#DEFAULTS}).
     */
    private Result runOn(WasmEngine e, WasiOptions.Builder opts) {
        // wasm frames run on the calling thread's native stack (wasmtime gives them up to 2 MiB): on a
        // thread of its own with a large stack, as the host runs guest calls, not on a caller's 1 MiB one
        Result[] result = new Result[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = runOnThisThread(e, opts);
            } catch (Throwable x) {
                failure[0] = x;
            }
        }, "wasi-command", STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new FaasmException("interrupted while " + wasm + " ran", wasm.toString(), "let the command end");
        }
        if (failure[0] instanceof RuntimeException r) {
            throw r;
        }
        if (failure[0] instanceof Error r) {
            throw r;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        return result[0];
    }

    private Result runOnThisThread(WasmEngine e, WasiOptions.Builder opts) {
        WasmEngine.LoadedModule m = e.load(wasm, compilerCache);
        long deadline = System.nanoTime() + (timeoutNanos > 0 ? timeoutNanos : 1L << 60);
        try (GuestWasi wasi = new GuestWasi(opts::build); WasmEngine.Guest guest = m.instantiate(new ArrayList<>(wasi.imports()),
                org.faasm.python.host.HostLimits.DEFAULTS.memoryMiB() * 16)) {
            // a command has no _initialize: _start does its set-up
            try {
                guest.call("_start", deadline);
                return new Result(0);
            } catch (WasiExitException x) {
                return new Result(x.exitCode());
            } catch (WasmInterruptedException x) {
                return new Result(TIMED_OUT, true);
            }
        }
    }
}
