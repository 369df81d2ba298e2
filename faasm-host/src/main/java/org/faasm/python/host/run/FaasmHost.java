package org.faasm.python.host.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostSetting;
import org.faasm.python.host.Setting;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.abi.FaasmAbi;
import org.faasm.python.host.abi.GuestCall;
import org.faasm.python.host.abi.GuestError;
import org.faasm.python.host.engine.Engines;
import org.faasm.python.host.engine.WasmEngine;
import org.faasm.python.host.state.GlobalState;
import org.faasm.python.host.state.StateStore;
import org.faasm.python.host.util.Log;
import org.faasm.python.host.wasi.CallResources;
import org.faasm.python.host.wasi.GuestMounts;
import run.endive.runtime.WasmInterruptedException;
import run.endive.wasi.WasiExitException;
import run.endive.wasi.WasiOptions;

/**
 * A local Faasm host for Python functions, on either engine ({@link WasmEngine}). It runs the real {@code py_func.wasm}: WASI
 * preview 1 with guest {@code /} the runtime root (read-only), the function at
 * {@code /pyfuncs/<user>/<func>/function.py} (read-only), a writable {@code /tmp} of each call's own, Faasm's
 * guest environment, and the {@code env.__faasm_*} host functions with Faasm's semantics (input,
 * output, state, chaining, conf flags).
 *
 * <p>Like Faasm, it calls {@code _faasm_zygote} once and snapshots the initialised instance (memory
 * and globals); every call, chained calls included, starts from that snapshot with a fresh WASI
 * context. Every call runs on a guest thread of its own with a large stack, within the
 * {@link HostLimits}: its /tmp, open files and memory ({@link CallResources}, {@link MemoryBudget}),
 * and the state the host holds ({@link StateStore}) are bounded, and what a call took (its /tmp, its
 * files, its chained calls' outputs) is given back when it ends; whatever goes wrong inside a call
 * (a trap, a timeout, a stack overflow, a bad value passed to a host function) ends that call with
 * a non-zero code and a one-paragraph message, never the host.
 *
 * <p>Its parts: {@link GuestMounts} (the guest's file system), {@link InstancePool} (instances,
 * snapshot restore, memory budget), {@link GuestThreads} (a thread per call, deadlines),
 * {@link FaasmAbi} (the {@code env.__faasm_*} imports) and {@link CallFailures} (what ended a call).
 */
public final class FaasmHost implements AutoCloseable {
    /** The least time the interpreter's start-up (the zygote, once per host) may take, in seconds. */
    public static final int STARTUP_TIMEOUT_SECONDS = 60;

    /** Return code of a call that failed in the host (trap, timeout, limit). */
    public static final int FAILED = FaasmAbi.FAILED;

    /**
     * The outcome of one call.
     *
     * @param failure null when the function ran to its end (whatever its return code), else why the
     *     host ended it
     * @param limit the setting whose limit ended the call, or null
     */
    public record CallResult(int returnCode, byte[] output, String failure, Setting limit) {
        public CallResult(int returnCode, byte[] output, String failure) {
            this(returnCode, output, failure, null);
        }

        public String outputText() {
            return new String(output, StandardCharsets.UTF_8);
        }
    }

    private final HostOptions options;
    private final HostLimits limits;
    private final Log log;
    private final GlobalState global;
    private final Map<String, StateStore> states = new java.util.concurrent.ConcurrentHashMap<>();
    private final CallStreams capture = new CallStreams();
    private final CallStreams.Stream stdout;
    private final CallStreams.Stream stderr;
    private final boolean ownsState;
    private final GuestMounts mounts;
    private final AtomicInteger nextCallId = new AtomicInteger(1);
    private final String runtimeKey;
    private final WasmEngine engine;
    private final WasmEngine.LoadedModule compiled;
    private final int initialPages;
    private final InstancePool pool;
    private final GuestThreads threads = new GuestThreads();
    private final FaasmAbi abi = new FaasmAbi(new AbiHost());
    private long zygoteMillis;
    private final RecentTimes restores = new RecentTimes(1024);

    public FaasmHost(HostOptions options) {
        this.options = options;
        this.limits = options.limits() == null ? HostLimits.DEFAULTS : options.limits();
        this.log = options.log() == null ? Log.NONE : options.log();
        if (options.functionDir() != null) {
            GuestMounts.checkNames(options.user(), options.func());
        }
        if (!Files.isRegularFile(options.pyFuncWasm())) {
            throw new FaasmException("The entrypoint " + options.pyFuncWasm() + " does not exist", options.pyFuncWasm().toString(),
                    "build it with './mvnw install' (cpython-module), or unpack the sysroot with faasm-python:sysroot");
        }
        GuestMounts.checkDirectories(options.runtimeRoot(), options.functionDir());
        this.runtimeKey = ZygoteSnapshot.runtimeRootKey(options.runtimeRoot(), options.snapshotCache());
        this.engine = Engines.select(options.engine(), log);
        this.compiled = engine.load(options.pyFuncWasm(), options.compilerCache());
        this.initialPages = compiled.initialPages();
        if (initialPages > limits.memoryPages()) {
            throw new FaasmException("memory is " + limits.memoryMiB() + " MiB, less than the " + (initialPages / 16)
                    + " MiB the entrypoint starts with", HostSetting.MEMORY, "give at least " + (initialPages / 16 + 1));
        }
        this.mounts = new GuestMounts(options.runtimeRoot(), options.functionDir(), options.user(), options.func());
        this.pool = new InstancePool(limits, compiled,
                maxPages -> new GuestInstance(compiled, this::wasiOptions, abi::functions, maxPages));
        if (limits.totalMemoryMiB() < limits.memoryMiB()) {
            log.warn("totalMemory = " + limits.totalMemoryMiB() + " MiB is less than memory = " + limits.memoryMiB()
                    + " MiB: a call gets at most " + limits.totalMemoryMiB() + " MiB");
        }
        this.ownsState = options.state() == null;
        this.global = ownsState ? new GlobalState.InMemory() : options.state();
        this.stdout = new CallStreams.Stream(options.stdout(), capture);
        this.stderr = new CallStreams.Stream(options.stderr(), capture);
    }

    /** The state of the function's user (the options' user). */
    public StateStore state() {
        return state(options.user());
    }

    /** The state of a user's functions, each user's local copies bounded by stateSize. */
    public StateStore state(String user) {
        return states.computeIfAbsent(user, u -> new StateStore(u, global, limits.stateSizeBytes()));
    }

    /** The global tier of state: in memory for this host, or the Redis the options name. */
    public GlobalState globalState() {
        return global;
    }

    /**
     * Stages (or replaces) a function from a directory holding {@code function.py}; its next call
     * runs it. No call of that function may run meanwhile.
     */
    public void stage(String user, String function, Path source) {
        mounts.stage(user, function, source);
    }

    /** Milliseconds the zygote (interpreter start-up, or restoring its snapshot) took, once it ran. */
    public long zygoteMillis() {
        return zygoteMillis;
    }

    /** The median time, in milliseconds, of the last calls' restore from the snapshot (memory and globals); NaN before a call. */
    public double restoreMillis() {
        return restores.medianMillis();
    }

    private WasiOptions wasiOptions() {
        return mounts.wasiOptions(stdout, stderr, Zygote.environment(options.preload()));
    }

    // ------------------------------------------------------------------ zygote and snapshot

    /** Runs the zygote and takes the snapshot, if that has not happened yet ({@link Zygote}). */
    public synchronized void start() {
        if (pool.hasSnapshot()) {
            return;
        }
        Path snapshotFile = options.snapshotCache() == null ? null : options.snapshotCache()
                .resolve(ZygoteSnapshot.key(compiled.sha256(), engine.name(), runtimeKey, options.confFlags(), Zygote.environment(options.preload())) + ".zygote");
        // start-up runs once per host and, on the pure-JVM engine, takes seconds for a large entrypoint:
        // it is bounded by the call timeout or STARTUP_TIMEOUT_SECONDS, whichever is longer
        HostLimits startup = limits.withTimeout(Math.max(limits.timeoutSeconds(), STARTUP_TIMEOUT_SECONDS));
        zygoteMillis = new Zygote(options, startup, log, pool, threads).start(initialPages, snapshotFile,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(startup.timeoutSeconds()), this::resources, this::notice);
    }

    /** A call's /tmp, open files and their limits, with its notices on the call's stderr. */
    private CallResources resources(GuestCall call) {
        return mounts.newCall(limits, message -> notice(call, message));
    }

    /** Says on the call's stderr that it reached a limit. */
    private void notice(GuestCall call, String message) {
        try {
            stderr.write(("faasm: " + name(call) + ": " + message + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
            stderr.flush();
        } catch (IOException ignored) {
            // the guest's error says what failed
        }
    }

    /** The most guest memory this host's instances held at once, in bytes: at most totalMemory. */
    public long peakGuestMemoryBytes() {
        return pool.peakBytes();
    }

    // ------------------------------------------------------------------ calls

    private long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(limits.timeoutSeconds());
    }

    /**
     * Runs one call of the function from the snapshot, within the limits.
     *
     * @param entry the entry function; empty or null for {@code faasm_main()}
     * @param input the call's input bytes
     */
    public CallResult call(String entry, byte[] input) {
        return call(options.user(), options.func(), entry, input, null);
    }

    /**
     * Runs one call of the staged function {@code user/function} ({@link #stage}), within the
     * limits; what the guest writes to its stdout and stderr (chained calls' included) also goes
     * to {@code log}, at most maxOutputBytes of it, when that is not null.
     */
    public CallResult call(String user, String function, String entry, byte[] input, java.io.ByteArrayOutputStream log) {
        if (input.length > limits.maxInputBytes()) {
            throw new FaasmException("The input is " + input.length + " bytes, more than maxInputBytes = " + limits.maxInputBytes(),
                    HostSetting.MAX_INPUT_BYTES, "give a smaller input, or raise maxInputBytes");
        }
        start();
        GuestCall call = new GuestCall(user, function, entry, input, 0, deadline());
        return threads.run(name(call), call.deadline, () -> capture.during(log, limits.maxOutputBytes(), () -> execute(call)),
                () -> failed(call, CallFailures.timedOut(limits), log, HostSetting.TIMEOUT));
    }

    private String name(GuestCall call) {
        return call.user + "/" + call.function + " (" + call.shownEntry() + ")";
    }

    /** Runs a call on this (guest) thread; every failure becomes the call's result. */
    private CallResult execute(GuestCall call) {
        GuestInstance w;
        try {
            w = pool.take(call, pool.snapshotPages(), m -> notice(call, m));
        } catch (GuestError e) {
            return failed(call, e.getMessage());
        }
        boolean healthy = false;
        CallResources resources = resources(call).enter();
        try {
            w.wasi.reset();
            long restoreStart = System.nanoTime();
            pool.restore(w);
            restores.add(System.nanoTime() - restoreStart);
            w.call = call;
            int rc;
            try {
                rc = w.instance.call("_faasm_call", call.deadline);
            } catch (WasiExitException e) {
                rc = e.exitCode();
            }
            healthy = true;
            return new CallResult(rc, call.output.toByteArray(), null);
        } catch (Throwable e) {
            if (!(e instanceof GuestError) && !(e instanceof WasmInterruptedException)) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                log.debug("Call of " + name(call) + " failed in the host:\n" + trace);
            }
            return failed(call, CallFailures.kind(e, limits));
        } finally {
            w.call = null;
            w.wasi.endCall();
            resources.close();
            pool.giveBack(w, healthy);
        }
    }

    private CallResult failed(GuestCall call, String why) {
        return failed(call, why, null, null);
    }

    /** A failed call's result; its message also goes to {@code log}, which may belong to another thread's call (a timeout). */
    private CallResult failed(GuestCall call, String why, java.io.ByteArrayOutputStream log, Setting limit) {
        String message = "Call of " + name(call) + (call.depth > 0 ? " (chained, depth " + call.depth + ")" : "") + " failed: " + why
                + (call.output.size() > 0 ? "; the output it wrote before is kept" : "");
        try {
            byte[] line = ("faasm: " + message + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
            if (log != null) {
                CallStreams.append(log, line, limits.maxOutputBytes());
            }
            stderr.write(line);
            stderr.flush();
        } catch (IOException ignored) {
            // the result carries the message too
        }
        return new CallResult(FAILED, call.output.toByteArray(), message, limit);
    }

    private CallResult chain(GuestInstance caller, String entry, byte[] input) {
        GuestCall parent = caller.call;
        String refusal = null;
        if (parent.depth + 1 > limits.chainDepth()) {
            refusal = "chained calls nest deeper than chainDepth = " + limits.chainDepth();
        } else if (++parent.chained > limits.chainFanOut()) {
            refusal = "the call chains more than chainFanOut = " + limits.chainFanOut() + " calls";
        } else if (input.length > limits.maxInputBytes()) {
            refusal = "its input is " + input.length + " bytes, more than maxInputBytes = " + limits.maxInputBytes();
        }
        GuestCall call = new GuestCall(parent.user, parent.function, entry, input, parent.depth + 1, parent.deadline);
        if (refusal != null) {
            return failed(call, "refused: " + refusal);
        }
        return pool.whileWaiting(caller,
                () -> {
                    java.io.ByteArrayOutputStream log = capture.current();
                    return threads.run(name(call), call.deadline, () -> capture.during(log, limits.maxOutputBytes(), () -> execute(call)),
                            () -> failed(call, CallFailures.timedOut(limits)));
                });
    }

    /** What the Faasm host functions reach of this host. */
    private final class AbiHost implements FaasmAbi.Host {
        @Override
        public HostLimits limits() {
            return limits;
        }

        @Override
        public StateStore state(String user) {
            return FaasmHost.this.state(user);
        }

        @Override
        public Set<String> confFlags() {
            return options.confFlags();
        }

        @Override
        public int nextCallId() {
            return nextCallId.getAndIncrement();
        }

        @Override
        public GuestCall.Chained chain(FaasmAbi.Caller caller, String entry, byte[] input) {
            CallResult r = FaasmHost.this.chain((GuestInstance) caller, entry, input);
            return new GuestCall.Chained(r.returnCode(), r.output());
        }
    }

    @Override
    public void close() {
        threads.stopAll();
        pool.closeAll();
        if (ownsState) {
            global.close();
        }
        mounts.close();
    }
}
