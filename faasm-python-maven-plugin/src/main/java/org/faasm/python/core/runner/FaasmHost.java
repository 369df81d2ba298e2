package org.faasm.python.core.runner;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.faasm.python.core.FaasmException;
import org.faasm.python.core.build.KeyedOutput;
import org.faasm.python.core.util.Digests;
import org.faasm.python.core.util.FileTrees;
import org.faasm.python.core.util.Log;
import run.endive.runtime.HostFunction;
import run.endive.runtime.Instance;
import run.endive.runtime.Memory;
import run.endive.runtime.WasmFunctionHandle;
import run.endive.runtime.WasmInterruptedException;
import run.endive.wasi.WasiExitException;
import run.endive.wasi.WasiOptions;
import run.endive.wasm.WasmEngineException;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * A local Faasm host for Python functions, on either engine ({@link WasmEngine}). It runs the real {@code py_func.wasm}: WASI
 * preview 1 with guest {@code /} the runtime root (read-only), the function at
 * {@code /pyfuncs/<user>/<func>/function.py} (read-only), a private writable {@code /tmp}, Faasm's
 * guest environment, and the {@code env.__faasm_*} host functions with Faasm's semantics (input,
 * output, state, chaining, conf flags).
 *
 * <p>Like Faasm, it calls {@code _faasm_zygote} once and snapshots the initialised instance (memory
 * and globals); every call, chained calls included, starts from that snapshot with a fresh WASI
 * context. Every call runs on a guest thread of its own with a large stack, within the
 * {@link HostLimits}; whatever goes wrong inside a call (a trap, a timeout, a stack overflow, a bad
 * value passed to a host function) ends that call with a non-zero code and a one-paragraph message,
 * never the host.
 */
public final class FaasmHost implements AutoCloseable {
    /** Faasm's guest environment, and unbuffered standard streams so output written before a failure is seen. */
    public static final Map<String, String> GUEST_ENV = Map.of(
            "PYTHONHOME", "/",
            "PYTHONHASHSEED", "0",
            "PYTHONNOUSERSITE", "on",
            "PYTHONWASM", "1",
            "PYTHONDONTWRITEBYTECODE", "1",
            "PYTHONUNBUFFERED", "1");

    /** The JVM stack of a guest thread: CPython's deepest C recursion fits, without -Xss from users. */
    static final long GUEST_STACK_BYTES = 512L << 20;
    /** The longest state key or name read from the guest. */
    private static final int MAX_STRING = 4096;
    /** The variable that tells py_func's zygote which modules to import (faasm.preload). */
    static final String PRELOAD_VARIABLE = "FAASM_PYTHON_PRELOAD";
    /** The zygote's return code when a preloaded module does not import. */
    static final int PRELOAD_FAILED = 2;
    /** Return code of a call that failed in the host (trap, timeout, limit). */
    public static final int FAILED = 1;

    /** How to start the host. */
    public record Options(
            Path pyFuncWasm,
            Path runtimeRoot,
            Path functionDir,
            String user,
            String func,
            Set<String> confFlags,
            OutputStream stdout,
            OutputStream stderr,
            Path compilerCache,
            Path snapshotCache,
            HostLimits limits,
            GlobalState state,
            List<String> preload,
            Log log,
            String engine) {

        public Options {
            preload = preload == null ? List.of() : List.copyOf(preload);
            engine = engine == null || engine.isBlank() ? Engines.AUTO : engine;
        }

        /** Options with the default limits, state for one run, and no log. */
        public static Options of(Path pyFuncWasm, Path runtimeRoot, Path functionDir, String user, String func, Set<String> confFlags,
                OutputStream stdout, OutputStream stderr, Path compilerCache, Path snapshotCache) {
            return new Options(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                    HostLimits.DEFAULTS, null, List.of(), Log.NONE, Engines.AUTO);
        }

        public Options withLimits(HostLimits l) {
            return new Options(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                    l, state, preload, log, engine);
        }

        public Options withState(GlobalState s) {
            return new Options(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                    limits, s, preload, log, engine);
        }

        public Options withLog(Log l) {
            return new Options(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                    limits, state, preload, l, engine);
        }

        /** Options for the engine {@code faasm.engine} names: auto, wasmtime or chicory. */
        public Options withEngine(String e) {
            return new Options(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                    limits, state, preload, log, e);
        }

        /** Options whose zygote also imports these modules (faasm.preload). */
        public Options withPreload(List<String> modules) {
            return new Options(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                    limits, state, modules, log, engine);
        }
    }

    /**
     * The outcome of one call.
     *
     * @param failure null when the function ran to its end (whatever its return code), else why the
     *     host ended it
     */
    public record CallResult(int returnCode, byte[] output, String failure) {
        public String outputText() {
            return new String(output, StandardCharsets.UTF_8);
        }
    }

    /** A bad value passed by the guest to a host function: the call fails with this message. */
    static final class GuestError extends RuntimeException {
        GuestError(String message) {
            super(message);
        }
    }

    private final Options options;
    private final HostLimits limits;
    private final Log log;
    private final StateStore state;
    private final boolean ownsState;
    private final Path tmp;
    private final Path rootMount;
    private final Path tmpMount;
    private final Path funcsMount;
    private final String runtimeKey;
    private final WasmEngine engine;
    private final WasmEngine.LoadedModule compiled;
    private final int initialPages;
    private final Deque<Worker> idle = new ArrayDeque<>();
    private final List<Worker> all = new ArrayList<>();
    private final Map<Integer, CallResult> finished = new LinkedHashMap<>();
    private final Set<Thread> guestThreads = ConcurrentHashMap.newKeySet();
    private int nextCallId = 1;
    private byte[] memorySnapshot;
    private long[][] globalsSnapshot;
    private long zygoteMillis;

    /** The context of one call. */
    private static final class Call {
        final String entry;
        final byte[] input;
        final int depth;
        final long deadline;
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        int chained;

        Call(String entry, byte[] input, int depth, long deadline) {
            this.entry = entry == null || entry.equals("faasm_main") ? "" : entry;
            this.input = input;
            this.depth = depth;
            this.deadline = deadline;
        }

        String shownEntry() {
            return entry.isEmpty() ? "faasm_main" : entry;
        }
    }

    /** An instance and its WASI imports; runs one call at a time. */
    private final class Worker {
        final GuestWasi wasi;
        final WasmEngine.Guest instance;
        volatile Call call;

        Worker() {
            this.wasi = new GuestWasi(FaasmHost.this::wasiOptions);
            List<HostFunction> functions = new ArrayList<>(wasi.imports());
            functions.addAll(faasmFunctions(this));
            this.instance = compiled.instantiate(functions, limits.memoryPages());
        }

        void close() {
            wasi.close();
            instance.close();
        }
    }

    public FaasmHost(Options options) {
        this.options = options;
        this.limits = options.limits() == null ? HostLimits.DEFAULTS : options.limits();
        this.log = options.log() == null ? Log.NONE : options.log();
        FunctionStaging.checkName(options.user(), "faasm.user", "-Dfaasm.user / <user>");
        FunctionStaging.checkName(options.func(), "function name", "-Dfaasm.function / <function>");
        if (!Files.isRegularFile(options.pyFuncWasm())) {
            throw new FaasmException("The entrypoint " + options.pyFuncWasm() + " does not exist", options.pyFuncWasm().toString(),
                    "build it with './mvnw install' (cpython-module), or unpack the sysroot with faasm-python:sysroot");
        }
        if (!Files.isDirectory(options.runtimeRoot().resolve("lib"))) {
            throw new FaasmException("The runtime root " + options.runtimeRoot() + " has no lib/ directory (no standard library)",
                    options.runtimeRoot().toString(), "point it at the runtime_root of a built or unpacked sysroot");
        }
        if (!Files.isRegularFile(options.functionDir().resolve("function.py"))) {
            throw new FaasmException("No function.py in " + options.functionDir(), options.functionDir().toString(),
                    "give the Python file of the function, or a directory that holds function.py");
        }
        this.runtimeKey = runtimeRootKey(options.runtimeRoot(), options.snapshotCache());
        this.engine = Engines.select(options.engine(), log);
        this.compiled = engine.load(options.pyFuncWasm(), options.compilerCache());
        this.initialPages = compiled.initialPages();
        if (initialPages > limits.memoryPages()) {
            throw new FaasmException("faasm.memory is " + limits.memoryMiB() + " MiB, less than the " + (initialPages / 16)
                    + " MiB the entrypoint starts with", "-Dfaasm.memory / <memory>", "give at least " + (initialPages / 16 + 1));
        }
        try {
            this.tmp = Files.createTempDirectory("faasm-host");
            Files.createDirectories(tmp.resolve("tmp"));
            // the same mounts for every function, so one zygote snapshot serves them all
            Path funcDir = tmp.resolve("pyfuncs").resolve(options.user()).resolve(options.func());
            FunctionStaging.copy(options.functionDir(), funcDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.rootMount = GuestFileSystem.mount(options.runtimeRoot(), false);
        this.tmpMount = GuestFileSystem.mount(tmp.resolve("tmp"), true);
        this.funcsMount = GuestFileSystem.mount(tmp.resolve("pyfuncs"), false);
        this.ownsState = options.state() == null;
        this.state = new StateStore(options.user(), ownsState ? new GlobalState.InMemory() : options.state());
    }

    public StateStore state() {
        return state;
    }

    /** Milliseconds the zygote (interpreter start-up, or restoring its snapshot) took, once it ran. */
    public long zygoteMillis() {
        return zygoteMillis;
    }

    private WasiOptions wasiOptions() {
        WasiOptions.Builder b = WasiOptions.builder()
                .withStdout(options.stdout())
                .withStderr(options.stderr())
                .withStdin(new ByteArrayInputStream(new byte[0]))
                .withArguments(List.of("py_func"))
                .withDirectory("/", rootMount)
                .withDirectory("/tmp", tmpMount)
                .withDirectory("/pyfuncs", funcsMount);
        guestEnvironment().forEach(b::withEnvironment);
        return b.build();
    }

    /** {@link #GUEST_ENV}, and the modules the zygote preloads. */
    Map<String, String> guestEnvironment() {
        if (options.preload().isEmpty()) {
            return GUEST_ENV;
        }
        Map<String, String> env = new TreeMap<>(GUEST_ENV);
        env.put(PRELOAD_VARIABLE, String.join(",", options.preload()));
        return env;
    }

    // ------------------------------------------------------------------ zygote and snapshot

    /** Runs the zygote and takes the snapshot, if that has not happened yet. */
    public synchronized void start() {
        if (memorySnapshot != null) {
            return;
        }
        long t0 = System.nanoTime();
        Path snapshotFile = options.snapshotCache() == null ? null : options.snapshotCache().resolve(snapshotKey() + ".zygote");
        if (snapshotFile != null) {
            ZygoteSnapshot.Loaded loaded = ZygoteSnapshot.load(snapshotFile, (long) limits.memoryPages() * 65536);
            if (loaded.snapshot() != null) {
                memorySnapshot = loaded.snapshot().memory();
                globalsSnapshot = loaded.snapshot().globals();
                zygoteMillis = (System.nanoTime() - t0) / 1_000_000;
                return;
            }
            if (loaded.problem() != null) {
                log.warn("The zygote snapshot " + snapshotFile + " is not usable: " + loaded.problem()
                        + "; starting the interpreter again and replacing it");
            }
        }
        Call zygote = new Call("", new byte[0], 0, deadline());
        AtomicBoolean preloadFailed = new AtomicBoolean();
        Worker[] made = new Worker[1];
        String problem = onGuestThread("zygote", zygote, () -> {
            try {
                // on the guest thread: an engine may run guest code while it links the instance
                Worker w = newWorker();
                made[0] = w;
                w.call = zygote;
                w.instance.initialize();
                long rc = w.instance.call("_faasm_zygote", zygote.deadline);
                if (rc == PRELOAD_FAILED) {
                    preloadFailed.set(true);
                }
                return rc == 0 ? null : "the zygote returned " + rc + "; see the messages above";
            } catch (WasiExitException e) {
                return "the interpreter exited during start-up with code " + e.exitCode();
            } catch (Throwable e) {
                return failureKind(e);
            } finally {
                if (made[0] != null) {
                    made[0].call = null;
                }
            }
        }, () -> "start-up " + timedOut());
        Worker w = made[0];
        if (preloadFailed.get()) {
            List<String> what = new ArrayList<>(options.preload());
            if (options.confFlags().contains("PYTHON_PRELOAD")) {
                what.addAll(0, List.of("pyfaasm.core", "numpy"));
            }
            throw new FaasmException("Preloading " + String.join(", ", what) + " in the zygote failed, before any call: a module does not "
                    + "import (its traceback is above)", "-Dfaasm.preload (<preload>), or the PYTHON_PRELOAD conf flag",
                    "fix the module, or leave it out of faasm.preload; a preloaded module must import without input or state");
        }
        if (problem != null) {
            throw new FaasmException("The Python interpreter did not start: " + problem, options.runtimeRoot().toString(),
                    "check that the runtime root holds the standard library of the same build, and the limits (faasm.memory, faasm.timeout)");
        }
        Memory memory = w.instance.memory();
        memorySnapshot = memory.readBytes(0, memory.pages() * 65536);
        globalsSnapshot = w.instance.globals();
        synchronized (idle) {
            idle.push(w);
        }
        if (snapshotFile != null) {
            new ZygoteSnapshot(memorySnapshot, globalsSnapshot).save(snapshotFile);
        }
        zygoteMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * What the state after the zygote depends on, by content: the entrypoint's digest, the runtime
     * root's (its verified stamp, or its files), the conf flags and the guest environment. The mounts
     * are the same for every function.
     */
    String snapshotKey() {
        StringBuilder sb = new StringBuilder("zygote-2\n");
        sb.append(compiled.sha256()).append('\n');
        // globals are engine-specific (all of them on the JVM engine, the mutable ones on wasmtime)
        sb.append(engine.name()).append('\n');
        sb.append(runtimeKey).append('\n');
        sb.append(new TreeSet<>(options.confFlags())).append('\n');
        sb.append(new TreeMap<>(guestEnvironment())).append('\n');
        return Digests.sha256(sb.toString());
    }

    /**
     * The runtime root's identity by content. A root inside a sysroot with a verified stamp is checked
     * against it (once per JVM, and again when a file's size or time changed since a check recorded in
     * {@code cache}) and a changed file is an error; any other root is keyed by the digest of its
     * files.
     */
    static String runtimeRootKey(Path runtimeRoot, Path cache) {
        Path sysroot = runtimeRoot.toAbsolutePath().getParent();
        Optional<KeyedOutput.Check> check = KeyedOutput.checkStamped(sysroot, List.of(runtimeRoot.getFileName().toString()), cache);
        if (check.isPresent()) {
            List<String> damaged = check.get().damaged();
            if (!damaged.isEmpty()) {
                throw new FaasmException("The runtime root " + runtimeRoot + " does not match its sysroot's stamp: "
                        + String.join(", ", damaged.subList(0, Math.min(5, damaged.size())))
                        + (damaged.size() > 5 ? " and " + (damaged.size() - 5) + " more" : ""), sysroot.toString(),
                        "make it again: './mvnw package' in the reactor that builds it, or 'mvn faasm-python:sysroot' for an unpacked"
                                + " sysroot archive (both replace a changed tree)");
            }
            return "stamp:" + check.get().key();
        }
        return "files:" + Digests.sha256(FileTrees.formatManifest(FileTrees.manifest(runtimeRoot)));
    }

    private Worker newWorker() {
        Worker w = new Worker();
        synchronized (all) {
            all.add(w);
        }
        return w;
    }

    private Worker takeWorker() {
        synchronized (idle) {
            if (!idle.isEmpty()) {
                return idle.pop();
            }
        }
        return newWorker();
    }

    private void retire(Worker w) {
        synchronized (all) {
            all.remove(w);
        }
        w.close();
    }

    private void restore(Worker w) {
        Memory memory = w.instance.memory();
        int pages = memorySnapshot.length / 65536;
        if (memory.pages() < pages) {
            memory.grow(pages - memory.pages());
        }
        memory.write(0, memorySnapshot);
        int extra = memory.pages() * 65536 - memorySnapshot.length;
        if (extra > 0) {
            memory.fill((byte) 0, memorySnapshot.length, memory.pages() * 65536);
        }
        w.instance.restoreGlobals(globalsSnapshot);
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
        if (input.length > limits.maxInputBytes()) {
            throw new FaasmException("The input is " + input.length + " bytes, more than faasm.maxInputBytes = " + limits.maxInputBytes(),
                    "-Dfaasm.input / -Dfaasm.inputFile", "give a smaller input, or raise -Dfaasm.maxInputBytes");
        }
        start();
        Call call = new Call(entry, input, 0, deadline());
        return onGuestThread(name(call), call, () -> execute(call),
                () -> failed(call, timedOut()));
    }

    private String name(Call call) {
        return options.user() + "/" + options.func() + " (" + call.shownEntry() + ")";
    }

    /**
     * Runs {@code body} on a guest thread of its own. The top-level caller waits until the call's
     * deadline and then stops every guest thread of this host; a chained call's caller (itself a guest
     * thread) waits until it is stopped too.
     */
    private <T> T onGuestThread(String what, Call call, java.util.concurrent.Callable<T> body, java.util.function.Supplier<T> onTimeout) {
        FutureTask<T> task = new FutureTask<>(body);
        Thread t = new Thread(null, task, "faasm-guest " + what, GUEST_STACK_BYTES);
        t.setDaemon(true);
        boolean nested = guestThreads.contains(Thread.currentThread());
        guestThreads.add(t);
        t.start();
        try {
            if (nested) {
                return task.get();
            }
            return task.get(Math.max(0, call.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            guestThreads.forEach(Thread::interrupt);
            try {
                task.get(10, TimeUnit.SECONDS);
            } catch (Exception | Error ignored) {
                // the thread is a daemon; its result no longer matters
            }
            return onTimeout.get();
        } catch (InterruptedException e) {
            // a chained call's caller stopped by the timeout: stop the callee and unwind the caller
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new WasmInterruptedException("stopped while waiting for a chained call");
        } catch (ExecutionException e) {
            throw new IllegalStateException("guest thread failed: " + e.getCause(), e.getCause());
        } finally {
            guestThreads.remove(t);
        }
    }

    /** Runs a call on this (guest) thread; every failure becomes the call's result. */
    private CallResult execute(Call call) {
        Worker w = takeWorker();
        boolean healthy = false;
        try {
            w.wasi.reset();
            restore(w);
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
            return failed(call, failureKind(e));
        } finally {
            w.call = null;
            // a worker whose memory grew far past the snapshot would zero all of it on every restore
            if (healthy && w.instance.memory().pages() <= memorySnapshot.length / 65536 + 256) {
                synchronized (idle) {
                    idle.push(w);
                }
            } else {
                retire(w);
            }
        }
    }

    private String timedOut() {
        return "did not finish within faasm.timeout = " + limits.timeoutSeconds() + " s and was stopped";
    }

    private CallResult failed(Call call, String why) {
        String message = "Call of " + name(call) + (call.depth > 0 ? " (chained, depth " + call.depth + ")" : "") + " failed: " + why
                + (call.output.size() > 0 ? "; the output it wrote before is kept" : "");
        try {
            options.stderr().write(("faasm: " + message + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
            options.stderr().flush();
        } catch (IOException ignored) {
            // the result carries the message too
        }
        return new CallResult(FAILED, call.output.toByteArray(), message);
    }

    /** What went wrong, in one sentence, for a throwable that ended a guest call. */
    private String failureKind(Throwable e) {
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof GuestError || c instanceof WasmInterruptedException || c instanceof StackOverflowError) {
                return failureKind(c);
            }
        }
        if (e instanceof WasmInterruptedException || e instanceof InterruptedException) {
            return timedOut();
        }
        if (e instanceof GuestError) {
            return e.getMessage();
        }
        if (e instanceof StackOverflowError) {
            String stack = e.getMessage() != null && e.getMessage().startsWith("wasmtime") ? e.getMessage()
                    : "the host's " + (GUEST_STACK_BYTES >> 20) + " MiB guest stack";
            return "its call stack overflowed (recursion deeper than " + stack + " allows); lower the recursion limit or the depth of the data";
        }
        if (e instanceof OutOfMemoryError) {
            return "the JVM ran out of heap (" + e.getMessage() + "); lower faasm.memory or give Maven more heap (-Xmx in MAVEN_OPTS)";
        }
        if (e instanceof WasmEngineException) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("out of bounds memory access") && m.contains("address: -")) {
                // py_func.wasm puts its C stack first in memory: running past its bottom reads below address 0
                return "WebAssembly trap: the guest's C stack overflowed (recursion too deep; " + m + ")";
            }
            return "WebAssembly trap: " + m;
        }
        return "host error: " + org.faasm.python.core.util.Errors.describe(e);
    }

    private CallResult chain(Call parent, String entry, byte[] input) {
        String refusal = null;
        if (parent.depth + 1 > limits.chainDepth()) {
            refusal = "chained calls nest deeper than faasm.chainDepth = " + limits.chainDepth();
        } else if (++parent.chained > limits.chainFanOut()) {
            refusal = "the call chains more than faasm.chainFanOut = " + limits.chainFanOut() + " calls";
        } else if (input.length > limits.maxInputBytes()) {
            refusal = "its input is " + input.length + " bytes, more than faasm.maxInputBytes = " + limits.maxInputBytes();
        }
        Call call = new Call(entry, input, parent.depth + 1, parent.deadline);
        if (refusal != null) {
            return failed(call, "refused: " + refusal);
        }
        return onGuestThread(name(call), call, () -> execute(call), () -> failed(call, timedOut()));
    }

    // ------------------------------------------------------------------ host functions

    private static FunctionType type(int params, int results) {
        List<ValType> p = Collections.nCopies(params, ValType.I32);
        List<ValType> r = Collections.nCopies(results, ValType.I32);
        return FunctionType.of(p, r);
    }

    private static HostFunction fn(String name, int params, int results, WasmFunctionHandle handle) {
        return new HostFunction("env", name, type(params, results), handle);
    }

    /** A guest pointer: an unsigned 32-bit address. */
    private static long address(long value) {
        return value & 0xFFFFFFFFL;
    }

    /** The guest's linear memory in bytes. */
    private static long memoryBytes(Instance inst) {
        return (long) inst.memory().pages() * 65536;
    }

    /** Checks that [ptr, ptr+len) lies in the guest's memory; len must not be negative. */
    private static int range(Instance inst, String fn, String what, long ptr, long len) {
        if (len < 0) {
            throw new GuestError(fn + ": the " + what + " length " + len + " is negative");
        }
        long size = memoryBytes(inst);
        long at = address(ptr);
        if (at + len > size) {
            throw new GuestError(fn + ": the " + what + " [" + at + ", " + (at + len) + ") lies outside the guest's " + size
                    + " bytes of memory");
        }
        return (int) at;
    }

    private static int nonNegative(String fn, String what, long value) {
        if (value < 0) {
            throw new GuestError(fn + ": the " + what + " " + value + " is negative");
        }
        return (int) value;
    }

    /** A NUL-terminated UTF-8 string from the guest, at most {@value #MAX_STRING} bytes. */
    private static String cString(Instance inst, String fn, String what, long ptr) {
        long size = memoryBytes(inst);
        long at = address(ptr);
        if (at >= size) {
            throw new GuestError(fn + ": the " + what + " pointer " + at + " lies outside the guest's memory");
        }
        byte[] b = inst.memory().readBytes((int) at, (int) Math.min(MAX_STRING + 1, size - at));
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return new String(b, 0, i, StandardCharsets.UTF_8);
            }
        }
        throw new GuestError(fn + ": the " + what + " is not a NUL-terminated string of at most " + MAX_STRING + " bytes");
    }

    /** A state key: a string, not empty (Faasm refuses an empty user or key). */
    private static String stateKey(Instance inst, String fn, long ptr) {
        String key = cString(inst, fn, "key", ptr);
        if (key.isEmpty()) {
            throw new GuestError(fn + ": the state key is empty (Faasm refuses an empty key)");
        }
        return key;
    }

    private static void writeName(Instance inst, String fn, long ptr, long len, String value) {
        if (len <= 0) {
            return;
        }
        int at = range(inst, fn, "buffer", ptr, len);
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(b.length, len - 1);
        byte[] out = new byte[n + 1];
        System.arraycopy(b, 0, out, 0, n);
        inst.memory().write(at, out);
    }

    /** A state value's total length: not negative and no larger than the guest's memory limit. */
    private int total(String fn, long total) {
        nonNegative(fn, "total length", total);
        if (total > (long) limits.memoryPages() * 65536) {
            throw new GuestError(fn + ": the total length " + total + " is larger than the guest's memory limit (faasm.memory = "
                    + limits.memoryMiB() + " MiB)");
        }
        return (int) total;
    }

    /** The arguments (key, total, offset, buffer, length) of the state functions that work on a segment, checked. */
    private record Segment(String key, int total, int offset, int at, int length) {}

    private Segment segment(Instance inst, String fn, long[] a) {
        String key = stateKey(inst, fn, a[0]);
        int total = total(fn, a[1]);
        int offset = nonNegative(fn, "offset", a[2]);
        int at = range(inst, fn, "buffer", a[3], a[4]);
        if (offset + a[4] > total) {
            throw new GuestError(fn + ": offset " + offset + " + length " + a[4] + " is past the value's total length " + total);
        }
        return new Segment(key, total, offset, at, (int) a[4]);
    }

    private List<HostFunction> faasmFunctions(Worker w) {
        List<HostFunction> f = new ArrayList<>();
        f.add(fn("__faasm_read_input", 2, 1, (inst, a) -> {
            byte[] in = w.call.input;
            if (a[1] == 0) {
                return new long[] {in.length};
            }
            int at = range(inst, "__faasm_read_input", "buffer", a[0], a[1]);
            int n = (int) Math.min(a[1], in.length);
            inst.memory().write(at, in, 0, n);
            return new long[] {n};
        }));
        f.add(fn("__faasm_write_output", 2, 0, (inst, a) -> {
            if (a[1] > limits.maxOutputBytes()) {
                throw new GuestError("__faasm_write_output: the output of " + a[1] + " bytes is larger than faasm.maxOutputBytes = "
                        + limits.maxOutputBytes());
            }
            int at = range(inst, "__faasm_write_output", "output", a[0], a[1]);
            byte[] data = inst.memory().readBytes(at, (int) a[1]);
            w.call.output.reset();
            w.call.output.writeBytes(data);
            return null;
        }));
        f.add(fn("__faasm_read_state", 3, 1, (inst, a) -> {
            String fnName = "__faasm_read_state";
            String key = stateKey(inst, fnName, a[0]);
            int size = state.size(key);
            if (a[2] == 0) {
                return new long[] {size};
            }
            int at = range(inst, fnName, "buffer", a[1], a[2]);
            inst.memory().write(at, state.getOffset(key, 0, (int) a[2]));
            return new long[] {Math.min(size, (int) a[2])};
        }));
        f.add(fn("__faasm_read_state_offset", 5, 0, (inst, a) -> {
            Segment s = segment(inst, "__faasm_read_state_offset", a);
            inst.memory().write(s.at(), state.getOffset(s.key(), s.offset(), s.length()));
            return null;
        }));
        f.add(fn("__faasm_write_state", 3, 0, (inst, a) -> {
            String fnName = "__faasm_write_state";
            String key = stateKey(inst, fnName, a[0]);
            int at = range(inst, fnName, "data", a[1], a[2]);
            state.set(key, inst.memory().readBytes(at, (int) a[2]));
            return null;
        }));
        f.add(fn("__faasm_write_state_offset", 5, 0, (inst, a) -> {
            Segment s = segment(inst, "__faasm_write_state_offset", a);
            state.setOffset(s.key(), s.total(), s.offset(), inst.memory().readBytes(s.at(), s.length()));
            return null;
        }));
        f.add(fn("__faasm_push_state", 1, 0, (inst, a) -> {
            state.push(stateKey(inst, "__faasm_push_state", a[0]));
            return null;
        }));
        f.add(fn("__faasm_push_state_partial", 1, 0, (inst, a) -> {
            state.pushPartial(stateKey(inst, "__faasm_push_state_partial", a[0]));
            return null;
        }));
        f.add(fn("__faasm_pull_state", 2, 0, (inst, a) -> {
            String key = stateKey(inst, "__faasm_pull_state", a[0]);
            nonNegative("__faasm_pull_state", "length", a[1]);
            state.pull(key);
            return null;
        }));
        f.add(fn("__faasm_chain_py", 3, 1, (inst, a) -> {
            String fnName = "__faasm_chain_py";
            String entry = cString(inst, fnName, "entry", a[0]);
            int at = range(inst, fnName, "input", a[1], a[2]);
            byte[] input = inst.memory().readBytes(at, (int) a[2]);
            int id;
            synchronized (finished) {
                id = nextCallId++;
            }
            CallResult r = chain(w.call, entry, input);
            synchronized (finished) {
                finished.put(id, r);
            }
            return new long[] {id};
        }));
        f.add(fn("__faasm_await_call", 1, 1, (inst, a) -> {
            CallResult r;
            synchronized (finished) {
                r = finished.get((int) a[0]);
            }
            return new long[] {r == null ? FAILED : r.returnCode()};
        }));
        f.add(fn("__faasm_await_call_output", 3, 1, (inst, a) -> {
            CallResult r;
            synchronized (finished) {
                r = finished.get((int) a[0]);
            }
            if (r == null) {
                return new long[] {-1};
            }
            if (a[2] == 0) {
                return new long[] {r.output().length};
            }
            int at = range(inst, "__faasm_await_call_output", "buffer", a[1], a[2]);
            int n = (int) Math.min(a[2], r.output().length);
            inst.memory().write(at, r.output(), 0, n);
            return new long[] {n};
        }));
        f.add(fn("__faasm_get_py_user", 2, 0, (inst, a) -> {
            writeName(inst, "__faasm_get_py_user", a[0], a[1], options.user());
            return null;
        }));
        f.add(fn("__faasm_get_py_func", 2, 0, (inst, a) -> {
            writeName(inst, "__faasm_get_py_func", a[0], a[1], options.func());
            return null;
        }));
        f.add(fn("__faasm_get_py_entry", 2, 0, (inst, a) -> {
            Call c = w.call;
            writeName(inst, "__faasm_get_py_entry", a[0], a[1], c == null ? "" : c.entry);
            return null;
        }));
        f.add(fn("__faasm_conf_flag", 1, 1, (inst, a) -> {
            String flag = cString(inst, "__faasm_conf_flag", "flag", a[0]);
            boolean on = flag.equals("ALWAYS_ON") || (!flag.equals("ALWAYS_OFF") && options.confFlags().contains(flag));
            return new long[] {on ? 1 : 0};
        }));
        return f;
    }

    @Override
    public void close() {
        guestThreads.forEach(Thread::interrupt);
        synchronized (all) {
            for (Worker w : all) {
                w.close();
            }
            all.clear();
        }
        if (ownsState) {
            state.global().close();
        }
        FileTrees.deleteRecursively(tmp);
    }
}
