package org.faasm.python.core.runner;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.Set;
import org.faasm.python.core.FaasmException;
import org.faasm.python.core.util.Digests;

/**
 * A local Faasm host for Python functions, on Chicory. It runs the real {@code py_func.wasm}: WASI
 * preview 1 with guest {@code /} mapped to the runtime root, the function at
 * {@code /pyfuncs/<user>/<func>/function.py}, a private {@code /tmp}, Faasm's guest environment, and
 * the {@code env.__faasm_*} host functions with Faasm's semantics (input, output, state, chaining,
 * conf flags).
 *
 * <p>Like Faasm, it calls {@code _faasm_zygote} once and snapshots the initialised instance (memory
 * and globals); every call, chained calls included, starts from that snapshot.
 */
public final class FaasmHost implements AutoCloseable {
    /** Faasm's guest environment. */
    public static final Map<String, String> GUEST_ENV = Map.of(
            "PYTHONHOME", "/",
            "PYTHONHASHSEED", "0",
            "PYTHONNOUSERSITE", "on",
            "PYTHONWASM", "1",
            "PYTHONDONTWRITEBYTECODE", "1");

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
            Path snapshotCache) {}

    /** The outcome of one call. */
    public record CallResult(int returnCode, byte[] output) {
        public String outputText() {
            return new String(output, StandardCharsets.UTF_8);
        }
    }


    private final Options options;
    private final StateStore state = new StateStore();
    private final Path tmp;
    private final CompiledModules.Compiled compiled;
    private final Deque<Worker> idle = new ArrayDeque<>();
    private final List<Worker> all = new ArrayList<>();
    private final Map<Integer, CallResult> finished = new LinkedHashMap<>();
    private int nextCallId = 1;
    private byte[] memorySnapshot;
    private long[][] globalsSnapshot;
    private long zygoteMillis;

    /** The context of the call a worker is running. */
    private static final class Call {
        final String entry;
        final byte[] input;
        final ByteArrayOutputStream output = new ByteArrayOutputStream();

        Call(String entry, byte[] input) {
            this.entry = entry;
            this.input = input;
        }
    }

    private final class Worker {
        final WasiPreview1 wasi;
        final Instance instance;
        Call call;

        Worker() {
            WasiOptions.Builder wasiOptions = WasiOptions.builder()
                    .withStdout(options.stdout())
                    .withStderr(options.stderr())
                    .withArguments(List.of("py_func"))
                    .withDirectory("/", options.runtimeRoot())
                    .withDirectory("/tmp", tmp.resolve("tmp"))
                    .withDirectory("/pyfuncs", tmp.resolve("pyfuncs"));
            GUEST_ENV.forEach(wasiOptions::withEnvironment);
            this.wasi = WasiPreview1.builder().withOptions(wasiOptions.build()).build();
            List<HostFunction> functions = new ArrayList<>(List.of(wasi.toHostFunctions()));
            functions.addAll(faasmFunctions(this));
            this.instance = Instance.builder(compiled.module())
                    .withImportValues(ImportValues.builder().withFunctions(new ArrayList<>(functions)).build())
                    .withMachineFactory(compiled.machines())
                    .withStart(false)
                    .build();
        }
    }

    public FaasmHost(Options options) {
        this.options = options;
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
        try {
            this.tmp = Files.createTempDirectory("faasm-host");
            Files.createDirectories(tmp.resolve("tmp"));
            // the same preopens for every function, so one zygote snapshot serves them all
            Path funcDir = tmp.resolve("pyfuncs").resolve(options.user()).resolve(options.func());
            Files.createDirectories(funcDir.getParent());
            org.faasm.python.core.util.FileTrees.copyTree(options.functionDir(), funcDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.compiled = CompiledModules.get(options.pyFuncWasm(), options.compilerCache());
    }

    public StateStore state() {
        return state;
    }

    /** Milliseconds the zygote (interpreter start-up) took, once it ran. */
    public long zygoteMillis() {
        return zygoteMillis;
    }

    /** Runs the zygote and takes the snapshot, if that has not happened yet. */
    public synchronized void start() {
        if (memorySnapshot != null) {
            return;
        }
        long t0 = System.nanoTime();
        Path snapshotFile = options.snapshotCache() == null ? null : options.snapshotCache().resolve(snapshotKey() + ".zygote");
        ZygoteSnapshot z = snapshotFile == null ? null : ZygoteSnapshot.load(snapshotFile);
        if (z != null) {
            memorySnapshot = z.memory();
            globalsSnapshot = z.globals();
            Worker w = new Worker();
            all.add(w);
            restore(w);
            idle.push(w);
            zygoteMillis = (System.nanoTime() - t0) / 1_000_000;
            return;
        }
        Worker w = new Worker();
        all.add(w);
        w.call = new Call("", new byte[0]);
        try {
            w.instance.export("_initialize").apply();
            long rc = w.instance.export("_faasm_zygote").apply()[0];
            if (rc != 0) {
                throw new FaasmException("The Python interpreter did not start (zygote returned " + rc + "); see the messages above",
                        options.runtimeRoot().toString(), "check that the runtime root holds the standard library of the same build");
            }
        } catch (WasiExitException e) {
            throw new FaasmException("The Python interpreter exited during start-up with code " + e.exitCode(),
                    options.runtimeRoot().toString(), "check that the runtime root holds the standard library of the same build");
        }
        w.call = null;
        Memory memory = w.instance.memory();
        memorySnapshot = memory.readBytes(0, memory.pages() * 65536);
        globalsSnapshot = new long[w.instance.globalCount()][];
        for (int i = 0; i < globalsSnapshot.length; i++) {
            globalsSnapshot[i] = new long[] {w.instance.global(i).getValueLow(), w.instance.global(i).getValueHigh()};
        }
        idle.push(w);
        if (snapshotFile != null) {
            new ZygoteSnapshot(memorySnapshot, globalsSnapshot).save(snapshotFile);
        }
        zygoteMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * What the state after the zygote depends on: the entrypoint, the runtime root, the conf flags,
     * the guest environment and the mounts (the same for every function).
     */
    String snapshotKey() {
        StringBuilder sb = new StringBuilder("zygote-1\n");
        sb.append(compiled.sha256()).append('\n');
        sb.append(runtimeRootIdentity(options.runtimeRoot())).append('\n');
        sb.append(new java.util.TreeSet<>(options.confFlags())).append('\n');
        sb.append(new java.util.TreeMap<>(GUEST_ENV)).append('\n');
        return Digests.sha256(sb.toString());
    }

    /** The sysroot's stamp when there is one, else a digest of the runtime root's file names and sizes. */
    static String runtimeRootIdentity(Path runtimeRoot) {
        Path stamp = runtimeRoot.resolveSibling(org.faasm.python.core.sysroot.SysrootLayout.STAMP);
        try {
            if (Files.isRegularFile(stamp)) {
                return "stamp:" + Files.readString(stamp).strip();
            }
            StringBuilder sb = new StringBuilder();
            for (String rel : org.faasm.python.core.util.FileTrees.listFiles(runtimeRoot)) {
                sb.append(rel).append(' ').append(Files.size(runtimeRoot.resolve(rel))).append('\n');
            }
            return "files:" + Digests.sha256(sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        for (int i = 0; i < globalsSnapshot.length; i++) {
            w.instance.global(i).setValueLow(globalsSnapshot[i][0]);
            w.instance.global(i).setValueHigh(globalsSnapshot[i][1]);
        }
    }

    /**
     * Runs one call of the function from the snapshot.
     *
     * @param entry the entry function; empty or null for {@code faasm_main()}
     * @param input the call's input bytes
     */
    public CallResult call(String entry, byte[] input) {
        start();
        Worker w;
        synchronized (this) {
            w = idle.isEmpty() ? null : idle.pop();
        }
        if (w == null) {
            w = new Worker();
            synchronized (this) {
                all.add(w);
            }
        }
        restore(w);
        Call call = new Call(entry == null || entry.equals("faasm_main") ? "" : entry, input);
        w.call = call;
        int rc;
        try {
            rc = (int) w.instance.export("_faasm_call").apply()[0];
        } catch (WasiExitException e) {
            rc = e.exitCode();
        } finally {
            w.call = null;
            synchronized (this) {
                idle.push(w);
            }
        }
        return new CallResult(rc, call.output.toByteArray());
    }

    /** Results of the chained calls of this host, by call id. */
    public synchronized Map<Integer, CallResult> chainedResults() {
        return Map.copyOf(finished);
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

    private static String cString(Instance instance, long ptr) {
        return instance.memory().readCString((int) ptr);
    }

    private static void writeName(Instance instance, long ptr, long len, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(b.length, Math.max(0, len - 1));
        byte[] out = new byte[n + 1];
        System.arraycopy(b, 0, out, 0, n);
        instance.memory().write((int) ptr, out);
    }

    private List<HostFunction> faasmFunctions(Worker w) {
        List<HostFunction> f = new ArrayList<>();
        f.add(fn("__faasm_read_input", 2, 1, (inst, a) -> {
            byte[] in = w.call.input;
            if (a[1] == 0) {
                return new long[] {in.length};
            }
            int n = (int) Math.min(a[1], in.length);
            inst.memory().write((int) a[0], in, 0, n);
            return new long[] {n};
        }));
        f.add(fn("__faasm_write_output", 2, 0, (inst, a) -> {
            byte[] data = inst.memory().readBytes((int) a[0], (int) a[1]);
            w.call.output.reset();
            w.call.output.writeBytes(data);
            return null;
        }));
        f.add(fn("__faasm_read_state", 3, 1, (inst, a) -> {
            String key = cString(inst, a[0]);
            int size = state.size(key);
            if (a[2] == 0) {
                return new long[] {size};
            }
            byte[] v = state.getOffset(key, 0, (int) a[2]);
            inst.memory().write((int) a[1], v);
            return new long[] {Math.min(size, (int) a[2])};
        }));
        f.add(fn("__faasm_read_state_offset", 5, 0, (inst, a) -> {
            byte[] v = state.getOffset(cString(inst, a[0]), (int) a[2], (int) a[4]);
            inst.memory().write((int) a[3], v);
            return null;
        }));
        f.add(fn("__faasm_write_state", 3, 0, (inst, a) -> {
            state.set(cString(inst, a[0]), inst.memory().readBytes((int) a[1], (int) a[2]));
            return null;
        }));
        f.add(fn("__faasm_write_state_offset", 5, 0, (inst, a) -> {
            state.setOffset(cString(inst, a[0]), (int) a[1], (int) a[2], inst.memory().readBytes((int) a[3], (int) a[4]));
            return null;
        }));
        f.add(fn("__faasm_push_state", 1, 0, (inst, a) -> null));
        f.add(fn("__faasm_push_state_partial", 1, 0, (inst, a) -> null));
        f.add(fn("__faasm_pull_state", 2, 0, (inst, a) -> null));
        f.add(fn("__faasm_chain_py", 3, 1, (inst, a) -> {
            String entry = cString(inst, a[0]);
            byte[] input = inst.memory().readBytes((int) a[1], (int) a[2]);
            int id;
            synchronized (this) {
                id = nextCallId++;
            }
            CallResult r = call(entry, input);
            synchronized (this) {
                finished.put(id, r);
            }
            return new long[] {id};
        }));
        f.add(fn("__faasm_await_call", 1, 1, (inst, a) -> {
            CallResult r;
            synchronized (this) {
                r = finished.get((int) a[0]);
            }
            return new long[] {r == null ? 1 : r.returnCode()};
        }));
        f.add(fn("__faasm_get_py_user", 2, 0, (inst, a) -> {
            writeName(inst, a[0], a[1], options.user());
            return null;
        }));
        f.add(fn("__faasm_get_py_func", 2, 0, (inst, a) -> {
            writeName(inst, a[0], a[1], options.func());
            return null;
        }));
        f.add(fn("__faasm_get_py_entry", 2, 0, (inst, a) -> {
            writeName(inst, a[0], a[1], w.call == null ? "" : w.call.entry);
            return null;
        }));
        f.add(fn("__faasm_conf_flag", 1, 1, (inst, a) -> new long[] {options.confFlags().contains(cString(inst, a[0])) ? 1 : 0}));
        return f;
    }

    @Override
    public void close() {
        for (Worker w : all) {
            w.wasi.close();
        }
        org.faasm.python.core.util.FileTrees.deleteRecursively(tmp);
    }
}
