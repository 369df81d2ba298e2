package org.faasm.python.host.engine;

import io.github.kawamuray.wasmtime.Config;
import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.FuncType;
import io.github.kawamuray.wasmtime.ImportType;
import io.github.kawamuray.wasmtime.MemoryType;
import io.github.kawamuray.wasmtime.NativeLibraryLoader;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.Val;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostSetting;
import run.endive.runtime.HostFunction;
import run.endive.runtime.ImportMemory;
import run.endive.runtime.ImportValues;
import run.endive.runtime.Instance;
import run.endive.runtime.Memory;
import run.endive.runtime.TrapException;
import run.endive.runtime.WasmInterruptedException;
import run.endive.wasm.Parser;
import run.endive.wasm.types.ValType;

/**
 * The native engine: wasmtime (Cranelift-compiled machine code) through the JNI bindings
 * {@code io.github.kawamuray.wasmtime:wasmtime-java}, whose jar carries the native library for
 * Linux and macOS (x86_64, aarch64) and Windows (x86_64). The module is rewritten once
 * ({@link WasmRewriter}) so that its memory comes from an image module with the memory limit and
 * the host can read and set its mutable globals; a snapshot becomes such an image, which wasmtime
 * maps copy-on-write into each instance made from it, as Faasm restores a Faaslet. Compiled code is
 * kept in wasmtime's cache below the code cache, each file verified against a sha256 written beside
 * it ({@link WasmtimeCodeCache}). A call
 * is stopped at its deadline by epoch interruption: a daemon thread advances the engine's epoch
 * every {@value #TICK_MILLIS} ms and each call's store may run for the ticks left until its deadline.
 */
final class WasmtimeEngine implements WasmEngine {
    static final String NAME = "wasmtime";
    static final long TICK_MILLIS = 10;
    /**
     * The native stack wasm frames may use: the most these bindings allow (wasmtime's async stack
     * size, 2 MiB). CPython does not recurse in C for Python-to-Python calls, so the recursion limit is
     * reached long before; C-level recursion past it ends the call with a trap.
     */
    static final long MAX_WASM_STACK = 2L << 20;
    /** A deadline no call reaches, for linking (which runs the reactor's {@code _initialize}). */
    private static final long NO_DEADLINE_TICKS = 1L << 40;
    /** (module (import "env" "memory" (memory 0))): the Endive instance through which host functions see guest memory. */
    private static final byte[] MEMORY_VIEW_MODULE = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0F, 0x01, 0x03, 'e', 'n', 'v', 0x06,
        'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00, 0x00};

    private static String unavailable;
    private static boolean probed;
    private static final Map<Path, Engine> ENGINES = new HashMap<>();
    private static final Map<String, LoadedModule> MODULES = new HashMap<>();

    /** Null when the native library loads on this machine, else why it does not. */
    static synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            try {
                NativeLibraryLoader.load();
            } catch (Throwable e) {
                unavailable = "wasmtime-java " + bindingsVersion() + " has no native library that loads on " + platform() + " ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
            }
        }
        return unavailable;
    }

    /** This machine's operating system and architecture as Java names them. */
    static String platform() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    /** The version of the JNI bindings (and of the wasmtime built into them). */
    static String bindingsVersion() {
        try (InputStream in = NativeLibraryLoader.class.getResourceAsStream("/wasmtime-java-meta.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("jnilib.version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Where these bindings keep their compiled code under the code cache; null without a cache. */
    private static Path cacheDirectory(Path codeCache) {
        return codeCache == null ? null : codeCache.toAbsolutePath().resolve("wasmtime-java-" + bindingsVersion());
    }

    private static synchronized Engine engine(Path dir) {
        Engine e = ENGINES.get(dir);
        if (e == null) {
            Config config = new Config().epochInterruption(true).maxWasmStack(MAX_WASM_STACK);
            if (dir != null) {
                config.cacheConfigLoad(WasmtimeCodeCache.prepare(dir));
            }
            e = new Engine(config);
            Engine ticking = e;
            Thread ticker = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(TICK_MILLIS);
                    } catch (InterruptedException stop) {
                        return;
                    }
                    ticking.incrementEpoch();
                }
            }, "faasm-wasmtime-epoch");
            ticker.setDaemon(true);
            ticker.start();
            ENGINES.put(dir, e);
        }
        return e;
    }

    @Override
    public LoadedModule load(Path wasm, Path codeCache) {
        String reason = unavailableReason();
        if (reason != null) {
            throw new FaasmException("The wasmtime engine cannot run here: " + reason, HostSetting.ENGINE,
                    "use the engine chicory (the pure-JVM engine, which runs everywhere) or auto, which picks it on this platform");
        }
        WasmBytes read = WasmBytes.read(wasm);
        byte[] bytes = read.bytes();
        String sha256 = read.sha256();
        String key = sha256 + "|" + codeCache;
        synchronized (MODULES) {
            LoadedModule m = MODULES.get(key);
            if (m == null) {
                WasmRewriter.Rewritten rewritten = WasmRewriter.rewrite(bytes, wasm.toString());
                Path dir = cacheDirectory(codeCache);
                Engine engine = engine(dir);
                io.github.kawamuray.wasmtime.Module module;
                try {
                    module = io.github.kawamuray.wasmtime.Module.fromBinary(engine, rewritten.wasm());
                } catch (RuntimeException e) {
                    throw new FaasmException("wasmtime cannot compile " + wasm + ": " + e.getMessage(), wasm.toString(),
                            "give a module built by this project, or run on the engine chicory");
                }
                if (dir != null) {
                    WasmtimeCodeCache.seal(dir);
                }
                // the rewritten bytes (11 MB for py_func.wasm) are not kept: instances need the module and its data
                m = new WasmtimeModule(engine, module, dir, sha256, rewritten.initialPages(), List.copyOf(rewritten.mutableGlobals()),
                        rewritten.dataOffset(), rewritten.data(), List.of(module.imports()), new HashMap<>());
                MODULES.put(key, m);
            }
            return m;
        }
    }

    /**
     * A compiled module, with what its instances take besides their functions: the data the rewrite
     * took out of it, given to a fresh instance by an image module per memory limit.
     */
    private record WasmtimeModule(Engine engine, io.github.kawamuray.wasmtime.Module module, Path cacheDir, String sha256, int initialPages,
            List<Integer> mutableGlobals, int dataOffset, byte[] data, List<ImportType> imports,
            Map<Integer, io.github.kawamuray.wasmtime.Module> freshImages) implements LoadedModule {
        /** Image modules kept for fresh instances; more limits than this are compiled again when needed. */
        private static final int FRESH_IMAGES = 4;

        @Override
        public Guest instantiate(List<HostFunction> imports, int maxPages) {
            return new WasmtimeGuest(this, imports, maxPages);
        }

        /** The image module of a fresh instance (the module's own data) whose memory limit is {@code maxPages}. */
        io.github.kawamuray.wasmtime.Module freshImage(int maxPages) {
            synchronized (freshImages) {
                io.github.kawamuray.wasmtime.Module image = freshImages.get(maxPages);
                if (image == null) {
                    if (freshImages.size() >= FRESH_IMAGES) {
                        // an instance made from one keeps what it needs of it
                        freshImages.values().forEach(io.github.kawamuray.wasmtime.Module::dispose);
                        freshImages.clear();
                    }
                    image = compile(WasmRewriter.imageModule(data, dataOffset, initialPages, maxPages));
                    freshImages.put(maxPages, image);
                }
                return image;
            }
        }

        private io.github.kawamuray.wasmtime.Module compile(byte[] image) {
            io.github.kawamuray.wasmtime.Module compiled = io.github.kawamuray.wasmtime.Module.fromBinary(engine, image);
            if (cacheDir != null) {
                WasmtimeCodeCache.seal(cacheDir);
            }
            return compiled;
        }

        /** The snapshot, with its memory as an image module that instances whose limit is {@code maxPages} map copy-on-write. */
        @Override
        public Snapshot snapshot(byte[] memory, long[][] globals, int maxPages) {
            return new ImageSnapshot(memory, globals, this, compile(WasmRewriter.imageModule(memory, 0, memory.length / 65536, maxPages)),
                    maxPages);
        }
    }

    /** A snapshot whose memory is also an image module: an instance whose limit is maxPages is made from it. */
    private static final class ImageSnapshot extends Snapshot {
        final WasmtimeModule owner;
        final int maxPages;
        private io.github.kawamuray.wasmtime.Module image;

        ImageSnapshot(byte[] memory, long[][] globals, WasmtimeModule owner, io.github.kawamuray.wasmtime.Module image, int maxPages) {
            super(memory, globals);
            this.owner = owner;
            this.image = image;
            this.maxPages = maxPages;
        }

        synchronized io.github.kawamuray.wasmtime.Module image() {
            return image;
        }

        @Override
        public synchronized void close() {
            if (image != null) {
                image.dispose();
                image = null;
            }
        }
    }

    /**
     * An instance of the module, made afresh for each call from an image module: its memory is mapped
     * copy-on-write from the image (wasmtime's memory images), so nothing is copied, and the mutable
     * globals are set to the snapshot's (a few values). The host functions are made once per store,
     * since wasmtime compiles a trampoline for each (about 0.4 ms apiece). A store keeps every
     * instance made in it, and what its memory holds, until it is dropped: after
     * {@value #INSTANCES_PER_STORE} instances, or once the memories of those it made reach
     * {@value #STORE_MIB} MiB (what they may have written), the next instance starts a new store,
     * and an idle guest drops it.
     */
    private static final class WasmtimeGuest implements Guest {
        static final int INSTANCES_PER_STORE = 32;
        static final int STORE_MIB = 256;

        private final WasmtimeModule m;
        private final List<HostFunction> imports;
        private final int maxPages;
        private final BufferMemory view;
        private final Instance viewInstance;
        private final List<Integer> globals;
        /** The store, the host functions made in it (by module and name, joined by a NUL) and how many instances it has made. */
        private Store<Void> store;
        private final Map<String, Func> functions = new HashMap<>();
        private int instancesInStore;
        /** The memory of the instances the store made and no longer uses, in bytes. */
        private long heldBytes;
        /** The current instance, its memory and the handles taken from them. */
        private io.github.kawamuray.wasmtime.Instance code;
        private io.github.kawamuray.wasmtime.Memory memory;
        private final List<io.github.kawamuray.wasmtime.Disposable> handles = new ArrayList<>();
        private final Map<String, Func> exports = new HashMap<>();
        /** What a host function threw during the current call: thrown again when the call returns. */
        private Throwable pending;

        WasmtimeGuest(WasmtimeModule m, List<HostFunction> imports, int maxPages) {
            this.m = m;
            this.imports = imports;
            this.maxPages = maxPages;
            this.globals = m.mutableGlobals();
            this.view = new BufferMemory(() -> memory.buffer(store), pages -> {
                try {
                    return memory.grow(store, pages);
                } catch (RuntimeException e) {
                    return -1;
                }
            }, maxPages);
            open(m.freshImage(maxPages));
            // Endive checks the view's size when it links it: after the memory exists
            this.viewInstance = Instance.builder(Parser.parse(MEMORY_VIEW_MODULE))
                    .withImportValues(ImportValues.builder().addMemory(new ImportMemory("env", "memory", view)).build())
                    .build();
        }

        /** Makes the instance afresh from {@code image}, in a new store when the current one is full. */
        private void open(io.github.kawamuray.wasmtime.Module image) {
            dropInstance();
            if (store == null || full()) {
                newStore();
            }
            instancesInStore++;
            try {
                io.github.kawamuray.wasmtime.Instance images = new io.github.kawamuray.wasmtime.Instance(store, image, List.of());
                handles.add(images);
                memory = images.getMemory(store, "memory").orElseThrow();
                handles.add(memory);
                List<Extern> externs = new ArrayList<>(m.imports().size());
                for (ImportType imp : m.imports()) {
                    Extern e = switch (imp.type()) {
                        case MEMORY -> Extern.fromMemory(memory);
                        case FUNC -> {
                            Func f = functions.get(imp.module() + "\0" + imp.name());
                            yield f == null ? null : Extern.fromFunc(f);
                        }
                        default -> null;
                    };
                    if (e == null) {
                        throw new TrapException("the module imports " + imp.module() + "." + imp.name() + " (a " + imp.type()
                                + "), which the host does not provide");
                    }
                    externs.add(e);
                }
                store.setEpochDeadline(NO_DEADLINE_TICKS);
                // the rewrite renamed _initialize, so making the instance does not run it
                code = new io.github.kawamuray.wasmtime.Instance(store, m.module(), externs);
                handles.add(code);
            } catch (TrapException e) {
                close();
                throw e;
            } catch (RuntimeException e) {
                close();
                throw new TrapException("wasmtime cannot make an instance: " + e.getMessage());
            }
            view.refresh();
        }

        /** A new store, with the host functions made in it. */
        private void newStore() {
            close();
            store = new Store<>(null, m.engine());
            instancesInStore = 0;
            for (HostFunction f : imports) {
                functions.put(f.module() + "\0" + f.name(), hostFunc(f));
            }
        }

        /** Whether the store has made its share of instances, or they hold their share of memory. */
        private boolean full() {
            return instancesInStore >= INSTANCES_PER_STORE || heldBytes >= ((long) STORE_MIB << 20);
        }

        /** Lets go of the current instance's handles (the store keeps the instance until it is dropped). */
        private void dropInstance() {
            if (memory != null && store != null) {
                heldBytes += memory.dataSize(store);
            }
            exports.values().forEach(Func::dispose);
            exports.clear();
            handles.forEach(io.github.kawamuray.wasmtime.Disposable::dispose);
            handles.clear();
            memory = null;
            code = null;
        }

        private Store<Void> store() {
            if (code == null) {
                throw new IllegalStateException("the instance was closed");
            }
            return store;
        }

        private Func hostFunc(HostFunction f) {
            List<ValType> params = f.functionType().params();
            List<ValType> results = f.functionType().returns();
            FuncType type = new FuncType(params.stream().map(WasmtimeGuest::type).toArray(Val.Type[]::new),
                    results.stream().map(WasmtimeGuest::type).toArray(Val.Type[]::new));
            boolean[] wide = new boolean[results.size()];
            for (int i = 0; i < wide.length; i++) {
                wide[i] = results.get(i).equals(ValType.I64);
            }
            return new Func(store, type, (caller, in, out) -> {
                long[] args = new long[in.length];
                for (int i = 0; i < in.length; i++) {
                    args[i] = in[i].getType() == Val.Type.I64 ? in[i].i64() : in[i].i32();
                }
                long[] r;
                try {
                    view.refresh();
                    r = f.handle().apply(viewInstance, args);
                } catch (Throwable e) {
                    pending = e;
                    throw new RuntimeException("host function " + f.name() + " failed: " + e);
                }
                for (int i = 0; i < out.length; i++) {
                    out[i] = wide[i] ? Val.fromI64(r[i]) : Val.fromI32((int) r[i]);
                }
            });
        }

        private static Val.Type type(ValType t) {
            if (t.equals(ValType.I32)) {
                return Val.Type.I32;
            }
            if (t.equals(ValType.I64)) {
                return Val.Type.I64;
            }
            if (t.equals(ValType.F32)) {
                return Val.Type.F32;
            }
            if (t.equals(ValType.F64)) {
                return Val.Type.F64;
            }
            throw new IllegalArgumentException("host functions take numbers, not " + t);
        }

        @Override
        public void initialize() {
            if (code != null && code.getFunc(store(), WasmRewriter.INITIALIZE).map(f -> {
                f.dispose();
                return true;
            }).orElse(false)) {
                invoke(WasmRewriter.INITIALIZE, NO_DEADLINE_TICKS, Long.MAX_VALUE);
            }
        }

        private Func export(String name) {
            return exports.computeIfAbsent(name, n -> code.getFunc(store(), n)
                    .orElseThrow(() -> new TrapException("the module exports no function " + n)));
        }

        @Override
        public int call(String export, long deadlineNanos) {
            long left = deadlineNanos - System.nanoTime();
            return invoke(export, Math.max(1, left / (TICK_MILLIS * 1_000_000) + 1), deadlineNanos);
        }

        private int invoke(String export, long ticks, long deadlineNanos) {
            Func f = export(export);
            store().setEpochDeadline(ticks);
            pending = null;
            try {
                Val[] r = f.call(store);
                return r.length == 0 ? 0 : r[0].i32();
            } catch (RuntimeException e) {
                throw rethrow(e, deadlineNanos);
            } finally {
                store.setEpochDeadline(NO_DEADLINE_TICKS);
            }
        }

        /** The exception a failed call ends with: what a host function threw, a timeout, or the trap. */
        private RuntimeException rethrow(RuntimeException e, long deadlineNanos) {
            Throwable p = pending;
            pending = null;
            if (p != null) {
                sneakyThrow(p);
            }
            String message = String.valueOf(e.getMessage());
            if (System.nanoTime() >= deadlineNanos || message.toLowerCase(Locale.ROOT).contains("interrupt")) {
                throw new WasmInterruptedException("stopped at its deadline (" + message + ")");
            }
            String firstLine = message.lines().findFirst().orElse(message).trim();
            if (message.contains("call stack exhausted") || message.contains("STACK_OVERFLOW")) {
                throw new StackOverflowError("wasmtime's " + (MAX_WASM_STACK >> 20) + " MiB wasm call stack");
            }
            java.util.regex.Matcher code = java.util.regex.Pattern.compile("wasm trap: ([A-Z_]+)").matcher(firstLine);
            if (code.find()) {
                // the bindings name the trap by its code: say it in words
                throw new TrapException(code.group(1).toLowerCase(Locale.ROOT).replace('_', ' '));
            }
            throw new TrapException(firstLine.isEmpty() ? e.toString() : "wasmtime: " + firstLine);
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
            throw (T) t;
        }

        @Override
        public Memory memory() {
            view.refresh();
            return view;
        }

        @Override
        public long[][] globals() {
            long[][] g = new long[globals.size()][];
            for (int i = 0; i < g.length; i++) {
                Val[] r = export(WasmRewriter.globalGetter(globals.get(i))).call(store());
                Val v = r[0];
                long bits = switch (v.getType()) {
                    case I32 -> v.i32();
                    case I64 -> v.i64();
                    case F32 -> Float.floatToRawIntBits(v.f32());
                    case F64 -> Double.doubleToRawLongBits(v.f64());
                    default -> throw new IllegalStateException("global of type " + v.getType());
                };
                g[i] = new long[] {bits, v.getType().ordinal()};
            }
            return g;
        }

        @Override
        public void restoreGlobals(long[][] g) {
            for (int i = 0; i < g.length && i < globals.size(); i++) {
                long bits = g[i][0];
                Val v = switch (Val.Type.values()[(int) g[i][1]]) {
                    case I32 -> Val.fromI32((int) bits);
                    case I64 -> Val.fromI64(bits);
                    case F32 -> Val.fromF32(Float.intBitsToFloat((int) bits));
                    case F64 -> Val.fromF64(Double.longBitsToDouble(bits));
                    default -> throw new IllegalStateException("global of type " + Val.Type.values()[(int) g[i][1]]);
                };
                export(WasmRewriter.globalSetter(globals.get(i))).call(store(), v);
            }
        }

        /**
         * From the snapshot's image when it is this module's for this limit: a new instance whose
         * memory wasmtime maps copy-on-write. Else a fresh instance into which the snapshot is copied.
         */
        @Override
        public void restore(Snapshot snapshot) {
            if (snapshot instanceof ImageSnapshot s && s.owner == m && s.maxPages == maxPages) {
                io.github.kawamuray.wasmtime.Module image = s.image();
                if (image != null) {
                    open(image);
                    restoreGlobals(snapshot.globals());
                    return;
                }
            }
            open(m.freshImage(maxPages));
            Guest.super.restore(snapshot);
        }

        /** Drops the store once it is full, so an idle guest holds no more memory of old calls than its share. */
        @Override
        public void idle() {
            if (full()) {
                close();
            }
        }

        @Override
        public void close() {
            dropInstance();
            functions.values().forEach(Func::dispose);
            functions.clear();
            if (store != null) {
                store.dispose();
                store = null;
            }
            instancesInStore = 0;
            heldBytes = 0;
        }
    }
}
