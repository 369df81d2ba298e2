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
 * {@code /pyfuncs/<user>/<func>/function.py} (read-only), a writable {@code /tmp} of each call's own, Faasm's
 * guest environment, and the {@code env.__faasm_*} host functions with Faasm's semantics (input,
 * output, state, chaining, conf flags).
 *
 * <p>Like Faasm, it calls {@code _faasm_zygote} once and snapshots the initialised instance (memory
 * and globals); every call, chained calls included, starts from that snapshot with a fresh WASI
 * context. Every call runs on a guest thread of its own with a large stack, within the
 * {@link HostLimits}: its /tmp, open files and memory ({@link CallResources}, {@link MemoryBudget}),
 * and the state the host holds ({@link StateStore}) are bounded, and what a call took (its /tmp, its
 * files, its chained calls' outputs) is given back when it ends; whatever goes wrong inside a call (a trap, a timeout, a stack overflow, a bad
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
    /** What {@code __faasm_await_call_output} gives for a call whose output was dropped when it was awaited. */
    static final int AWAITED = -2;

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
    /** The /tmp of WASI contexts made outside a call (the prototype of the imports): empty and read-only. */
    private final Path idleTmpMount;
    private final Path funcsMount;
    private final MemoryBudget budget;
    private final java.util.concurrent.atomic.AtomicLong callCount = new java.util.concurrent.atomic.AtomicLong();
    private final String runtimeKey;
    private final WasmEngine engine;
    private final WasmEngine.LoadedModule compiled;
    private final int initialPages;
    private final Deque<Worker> idle = new ArrayDeque<>();
    private final List<Worker> all = new ArrayList<>();
    private final Set<Thread> guestThreads = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger nextCallId = new java.util.concurrent.atomic.AtomicInteger(1);
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
        /**
         * The outcomes of the calls this call chained, by id: an output is dropped once it was read
         * (await_call_output) or the call awaited (await_call), and all of them when this call ends.
         */
        final Map<Integer, Chained> results = new java.util.HashMap<>();
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

    /** A finished chained call: its return code, and its output until it is dropped. */
    private static final class Chained {
        final int returnCode;
        byte[] output;

        Chained(CallResult r) {
            this.returnCode = r.returnCode();
            this.output = r.output();
        }
    }

    /** An instance and its WASI imports; runs one call at a time. */
    private final class Worker {
        final GuestWasi wasi;
        final WasmEngine.Guest instance;
        /** The instance's memory limit in pages: faasm.memory, or less where faasm.totalMemory left less. */
        final int maxPages;
        /** The pages this worker holds of the {@link MemoryBudget}. */
        long reserved;
        volatile Call call;

        Worker(int maxPages) {
            this.maxPages = maxPages;
            this.wasi = new GuestWasi(FaasmHost.this::wasiOptions);
            List<HostFunction> functions = new ArrayList<>(wasi.imports());
            functions.addAll(faasmFunctions(this));
            this.instance = compiled.instantiate(functions, maxPages);
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
        if (options.user().contains("_")) {
            // Faasm keeps a state value under <user>_<key>: user a_b's key k and user a's key b_k would be one value
            throw new FaasmException("The user '" + options.user() + "' has a '_': Faasm keeps state under <user>_<key>, so user '"
                    + options.user() + "' and user '" + options.user().substring(0, options.user().indexOf('_'))
                    + "' could read and write each other's values", "-Dfaasm.user / <user>",
                    "give a user name without '_' (keys may have '_')");
        }
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.createDirectories(tmp.resolve("idle"));
            Files.createDirectories(tmp.resolve("calls"));
            // the same mounts for every function, so one zygote snapshot serves them all
            Path funcDir = tmp.resolve("pyfuncs").resolve(options.user()).resolve(options.func());
            FunctionStaging.copy(options.functionDir(), funcDir);
        } catch (IOException | RuntimeException e) {
            // a refused function directory leaves nothing behind
            FileTrees.deleteRecursively(tmp);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
        this.rootMount = GuestFileSystem.mount(options.runtimeRoot(), false);
        this.idleTmpMount = GuestFileSystem.mount(tmp.resolve("idle"), false);
        this.funcsMount = GuestFileSystem.mount(tmp.resolve("pyfuncs"), false);
        this.budget = new MemoryBudget(Math.max(limits.totalMemoryPages(), initialPages));
        if (limits.totalMemoryMiB() < limits.memoryMiB()) {
            log.warn("faasm.totalMemory = " + limits.totalMemoryMiB() + " MiB is less than faasm.memory = " + limits.memoryMiB()
                    + " MiB: a call gets at most " + limits.totalMemoryMiB() + " MiB");
        }
        this.ownsState = options.state() == null;
        this.state = new StateStore(options.user(), ownsState ? new GlobalState.InMemory() : options.state(), limits.stateSizeBytes());
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
                .withDirectory("/tmp", CallResources.current() == null ? idleTmpMount : CallResources.current().tmpMount())
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
            try (CallResources resources = resources(zygote).enter()) {
                // on the guest thread: an engine may run guest code while it links the instance
                Worker w = takeWorker(zygote, initialPages);
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
                    made[0].wasi.endCall();
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
        giveBack(w, true);
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

    /** Idle instances kept for the next calls; more are closed. */
    private static final int MAX_IDLE = 4;

    /** A call's /tmp, open files and their limits, with its notices on the call's stderr. */
    private CallResources resources(Call call) {
        Path dir = tmp.resolve("calls").resolve(Long.toString(callCount.incrementAndGet()));
        return new CallResources(dir, limits, message -> notice(call, message));
    }

    /** Says on the call's stderr that it reached a limit. */
    private void notice(Call call, String message) {
        try {
            options.stderr().write(("faasm: " + name(call) + ": " + message + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
            options.stderr().flush();
        } catch (IOException ignored) {
            // the guest's error says what failed
        }
    }

    /**
     * An instance for {@code call}, holding its memory in the {@link MemoryBudget}: an idle one whose
     * whole limit fits, else a new one with faasm.memory, or as much as faasm.totalMemory leaves (at
     * least {@code minPages}, what the call needs to start).
     */
    private Worker takeWorker(Call call, int minPages) {
        while (true) {
            Worker w;
            synchronized (idle) {
                w = idle.poll();
            }
            if (w == null) {
                break;
            }
            long more = w.maxPages - w.reserved;
            if (w.maxPages >= minPages && budget.reserve(more, more) >= 0) {
                w.reserved = w.maxPages;
                return w;
            }
            retire(w);
        }
        int want = Math.min(limits.memoryPages(), (int) budget.totalPages());
        long grant = budget.reserve(want, minPages);
        if (grant < 0) {
            throw new GuestError("refused: the live guests of this host hold " + (budget.reservedPages() / 16) + " MiB of faasm.totalMemory = "
                    + limits.totalMemoryMiB() + " MiB, and a call needs at least " + ceilMiB(minPages) + " MiB to start"
                    + " (raise -Dfaasm.totalMemory, or nest fewer calls that hold much memory)");
        }
        if (grant < want && call.depth > 0) {
            notice(call, "it gets " + (grant / 16) + " MiB of memory instead of faasm.memory = " + limits.memoryMiB() + " MiB: the live"
                    + " guests of this host hold " + ((budget.reservedPages() - grant) / 16) + " MiB of faasm.totalMemory = "
                    + limits.totalMemoryMiB() + " MiB");
        }
        try {
            Worker w = new Worker((int) grant);
            w.reserved = grant;
            synchronized (all) {
                all.add(w);
            }
            return w;
        } catch (RuntimeException | Error e) {
            budget.release(grant);
            throw e;
        }
    }

    private static long ceilMiB(long pages) {
        return (pages + 15) / 16;
    }

    /** Puts a worker back in the pool, holding only the pages it has; or closes it. */
    private void giveBack(Worker w, boolean healthy) {
        long pages = w.instance.memory().pages();
        // a worker whose memory grew far past the snapshot would zero all of it on every restore
        if (healthy && pages <= memorySnapshot.length / 65536 + 256) {
            synchronized (idle) {
                if (idle.size() < MAX_IDLE) {
                    budget.release(w.reserved - pages);
                    w.reserved = pages;
                    idle.push(w);
                    return;
                }
            }
        }
        retire(w);
    }

    private void retire(Worker w) {
        synchronized (all) {
            all.remove(w);
        }
        budget.release(w.reserved);
        w.reserved = 0;
        w.close();
    }

    /** The most guest memory this host's instances held at once, in bytes: at most faasm.totalMemory. */
    public long peakGuestMemoryBytes() {
        return budget.peakPages() * 65536;
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
        Worker w;
        try {
            w = takeWorker(call, memorySnapshot.length / 65536);
        } catch (GuestError e) {
            return failed(call, e.getMessage());
        }
        boolean healthy = false;
        CallResources resources = resources(call).enter();
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
            w.wasi.endCall();
            resources.close();
            giveBack(w, healthy);
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

    private CallResult chain(Worker caller, String entry, byte[] input) {
        Call parent = caller.call;
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
        // the caller cannot grow while it waits: it holds only the pages it has, and its limit again after
        long held = caller.reserved;
        long pages = caller.instance.memory().pages();
        budget.release(held - pages);
        caller.reserved = pages;
        try {
            return onGuestThread(name(call), call, () -> execute(call), () -> failed(call, timedOut()));
        } finally {
            budget.force(held - pages);
            caller.reserved = held;
        }
    }

    // ------------------------------------------------------------------ host functions

    private static FunctionType type(int params, int results) {
        List<ValType> p = Collections.nCopies(params, ValType.I32);
        List<ValType> r = Collections.nCopies(results, ValType.I32);
        return FunctionType.of(p, r);
    }

    /** A host function; a state limit it reaches fails the call with a message naming the function. */
    private static HostFunction fn(String name, int params, int results, WasmFunctionHandle handle) {
        return new HostFunction("env", name, type(params, results), (inst, a) -> {
            try {
                return handle.apply(inst, a);
            } catch (StateStore.LimitException e) {
                throw new GuestError(name + ": " + e.getMessage());
            }
        });
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

    /**
     * As in faabric, the total length sizes only a value that does not exist yet; an existing value
     * keeps its size, and the segment must lie within it.
     */
    private Segment segment(Instance inst, String fn, long[] a) {
        String key = stateKey(inst, fn, a[0]);
        int total = total(fn, a[1]);
        int offset = nonNegative(fn, "offset", a[2]);
        int at = range(inst, fn, "buffer", a[3], a[4]);
        int existing = state.sizeIfAny(key);
        int size = existing >= 0 ? existing : total;
        if (offset + a[4] > size) {
            throw new GuestError(fn + ": offset " + offset + " + length " + a[4] + " is past the value's " + (existing >= 0
                    ? "size " + size + " (it exists: the total length given, " + total + ", sizes only a new value)" : "total length " + size));
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
            int id = nextCallId.getAndIncrement();
            Call caller = w.call;
            CallResult r = chain(w, entry, input);
            caller.results.put(id, new Chained(r));
            return new long[] {id};
        }));
        f.add(fn("__faasm_await_call", 1, 1, (inst, a) -> {
            Chained r = w.call.results.get((int) a[0]);
            if (r == null) {
                return new long[] {FAILED};
            }
            r.output = null; // awaited: its output is no longer kept
            return new long[] {r.returnCode};
        }));
        f.add(fn("__faasm_await_call_output", 3, 1, (inst, a) -> {
            Chained r = w.call.results.get((int) a[0]);
            if (r == null) {
                return new long[] {-1};
            }
            if (r.output == null) {
                return new long[] {AWAITED};
            }
            byte[] out = r.output;
            if (a[2] == 0) {
                if (out.length == 0) {
                    r.output = null;
                }
                return new long[] {out.length};
            }
            int at = range(inst, "__faasm_await_call_output", "buffer", a[1], a[2]);
            int n = (int) Math.min(a[2], out.length);
            inst.memory().write(at, out, 0, n);
            r.output = null; // read: dropped
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
