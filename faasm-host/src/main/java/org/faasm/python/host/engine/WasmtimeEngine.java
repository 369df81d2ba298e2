package org.faasm.python.host.engine;

import io.github.kawamuray.wasmtime.Config;
import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.FuncType;
import io.github.kawamuray.wasmtime.Global;
import io.github.kawamuray.wasmtime.Linker;
import io.github.kawamuray.wasmtime.MemoryType;
import io.github.kawamuray.wasmtime.NativeLibraryLoader;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.Val;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
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
 * ({@link WasmRewriter}) so that the host makes its memory with the memory limit and can read
 * and restore its mutable globals; its compiled code is kept in wasmtime's cache below the code
 * cache, each file verified against a sha256 written beside it ({@link WasmtimeCodeCache}). A call
 * is stopped at its deadline by epoch interruption: a daemon thread advances the engine's epoch
 * every {@value #TICK_MILLIS} ms and each call's store may run for the ticks left until its deadline.
 */
final class WasmtimeEngine implements WasmEngine {
    static final String NAME = "wasmtime";
    static final long TICK_MILLIS = 10;
    /**
     * The native stack wasm frames may use: the most these bindings allow (wasmtime's async stack
     * size, 2 MiB). CPython 3.11 does not recurse in C for Python calls, so the recursion limit is
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
                // the rewritten bytes (11 MB for py_func.wasm) are not kept: instances need only these two
                m = new WasmtimeModule(engine, module, sha256, rewritten.initialPages(), List.copyOf(rewritten.mutableGlobals()));
                MODULES.put(key, m);
            }
            return m;
        }
    }

    private record WasmtimeModule(Engine engine, io.github.kawamuray.wasmtime.Module module, String sha256, int initialPages,
            List<Integer> mutableGlobals) implements LoadedModule {

        @Override
        public Guest instantiate(List<HostFunction> imports, int maxPages) {
            return new WasmtimeGuest(this, imports, maxPages);
        }
    }

    private static final class WasmtimeGuest implements Guest {
        private final Store<Void> store;
        private final Linker linker;
        private final io.github.kawamuray.wasmtime.Memory memory;
        private final BufferMemory view;
        private final Instance viewInstance;
        private final List<Integer> globals;
        private final Map<String, Func> exports = new HashMap<>();
        /** What a host function threw during the current call: thrown again when the call returns. */
        private Throwable pending;

        WasmtimeGuest(WasmtimeModule m, List<HostFunction> imports, int maxPages) {
            this.store = new Store<>(null, m.engine());
            this.linker = new Linker(m.engine());
            this.globals = m.mutableGlobals();
            this.memory = new io.github.kawamuray.wasmtime.Memory(store, new MemoryType(m.initialPages(), maxPages, false));
            this.view = new BufferMemory(() -> memory.buffer(store), pages -> {
                try {
                    return memory.grow(store, pages);
                } catch (RuntimeException e) {
                    return -1;
                }
            }, maxPages);
            this.viewInstance = Instance.builder(Parser.parse(MEMORY_VIEW_MODULE))
                    .withImportValues(ImportValues.builder().addMemory(new ImportMemory("env", "memory", view)).build())
                    .build();
            linker.define(store, "env", "memory", Extern.fromMemory(memory));
            for (HostFunction f : imports) {
                linker.define(store, f.module(), f.name(), Extern.fromFunc(hostFunc(f)));
            }
            store.setEpochDeadline(NO_DEADLINE_TICKS);
            try {
                // a reactor's _initialize runs here (wasmtime's linking of WASI reactors)
                linker.module(store, "py", m.module());
            } catch (RuntimeException e) {
                rethrow(e, Long.MAX_VALUE);
            }
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
            // linking ran _initialize
        }

        private Func export(String name) {
            return exports.computeIfAbsent(name, n -> linker.get(store, "py", n)
                    .orElseThrow(() -> new TrapException("the module exports no function " + n)).func());
        }

        @Override
        public int call(String export, long deadlineNanos) {
            Func f = export(export);
            long left = deadlineNanos - System.nanoTime();
            store.setEpochDeadline(Math.max(1, left / (TICK_MILLIS * 1_000_000) + 1));
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

        private Global global(int index) {
            return linker.get(store, "py", WasmRewriter.globalExport(index)).orElseThrow().global();
        }

        @Override
        public long[][] globals() {
            long[][] g = new long[globals.size()][];
            for (int i = 0; i < g.length; i++) {
                Val v = global(globals.get(i)).get(store);
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
                global(globals.get(i)).set(store, v);
            }
        }

        @Override
        public void close() {
            exports.values().forEach(Func::dispose);
            exports.clear();
            linker.dispose();
            store.dispose();
        }
    }
}
