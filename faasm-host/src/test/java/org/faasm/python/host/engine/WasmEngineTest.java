package org.faasm.python.host.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.faasm.python.host.CodeCaches;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Log;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import run.endive.runtime.HostFunction;
import run.endive.runtime.WasmInterruptedException;
import run.endive.wasm.Parser;
import run.endive.wasm.WasmModule;
import run.endive.wasm.types.ExternalType;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * The engine boundary on both engines with a small module ({@code host/engine.wat}, assembled with
 * wabt's wat2wasm): host imports, globals read and restored, the memory limit, deadlines; and the
 * wasmtime engine's module rewrite and verified code cache.
 */
class WasmEngineTest {
    @TempDir
    Path tmp;

    private Path wasm;

    @BeforeEach
    void assemble() throws Exception {
        wasm = Wat.assemble("engine", tmp);
    }

    private static List<HostFunction> twice() {
        return List.of(new HostFunction("env", "twice", FunctionType.of(List.of(ValType.I32), List.of(ValType.I32)),
                (inst, args) -> new long[] {args[0] * 2}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wasmtime", "chicory"})
    void hostImportsGlobalsAndMemoryWorkTheSameOnBothEngines(String name) {
        WasmEngine engine = Engines.select(name, Log.NONE);
        WasmEngine.LoadedModule module = engine.load(wasm, CodeCaches.fresh());
        assertEquals(2, module.initialPages());
        try (WasmEngine.Guest g = module.instantiate(twice(), 4)) {
            long far = System.nanoTime() + 60_000_000_000L;
            assertEquals(2 * (42 + 1) + 7, g.call("get", far));
            long[][] before = g.globals();
            assertEquals(43, g.call("bump", far));
            g.memory().writeI32(0, 10);
            assertEquals(2 * (43 + 10) + 7, g.call("get", far));
            g.restoreGlobals(before);
            assertEquals(2 * (42 + 10) + 7, g.call("get", far), "the mutable global is back where it was");
            assertEquals(-1, g.call("grow", far), "memory cannot grow past the host's limit of 4 pages");
            assertEquals(2, g.memory().pages());
            assertEquals(2, g.memory().grow(2));
            assertEquals(4, g.memory().pages());
            assertArrayEquals(new byte[] {10, 0, 0, 0}, g.memory().readBytes(0, 4));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wasmtime", "chicory"})
    void aHostFunctionsExceptionIsTheCallsException(String name) {
        WasmEngine.LoadedModule module = Engines.select(name, Log.NONE).load(wasm, CodeCaches.fresh());
        IllegalStateException thrown = new IllegalStateException("bad value from the guest");
        List<HostFunction> failing = List.of(new HostFunction("env", "twice", FunctionType.of(List.of(ValType.I32), List.of(ValType.I32)),
                (inst, args) -> {
                    throw thrown;
                }));
        try (WasmEngine.Guest g = module.instantiate(failing, 4)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.call("get", System.nanoTime() + 60_000_000_000L));
            assertEquals("bad value from the guest", e.getMessage());
        }
    }

    @Test
    void wasmtimeStopsACallAtItsDeadline() {
        WasmEngine.LoadedModule module = Engines.select("wasmtime", Log.NONE).load(wasm, CodeCaches.fresh());
        try (WasmEngine.Guest g = module.instantiate(twice(), 4)) {
            long t0 = System.nanoTime();
            Throwable e = assertThrows(Throwable.class, () -> g.call("spin", System.nanoTime() + 200_000_000L));
            assertInstanceOf(WasmInterruptedException.class, e);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 190 && ms < 5000, "stopped after " + ms + " ms");
            assertEquals(2 * 43 + 7, g.call("get", System.nanoTime() + 60_000_000_000L), "the instance is usable after the stop");
        }
    }

    @Test
    void theRewriteImportsTheMemoryAndExportsOnlyMutableGlobals() throws Exception {
        WasmRewriter.Rewritten r = WasmRewriter.rewrite(Files.readAllBytes(wasm), "engine.wasm");
        assertEquals(2, r.initialPages());
        assertEquals(List.of(0), r.mutableGlobals());
        WasmModule m = Parser.parse(r.wasm());
        assertTrue(m.memorySection().isEmpty() || m.memorySection().get().memoryCount() == 0, "no memory is defined");
        boolean importsMemory = false;
        for (int i = 0; i < m.importSection().importCount(); i++) {
            var imp = m.importSection().getImport(i);
            importsMemory |= imp.importType() == ExternalType.MEMORY && imp.module().equals("env") && imp.name().equals("memory");
        }
        assertTrue(importsMemory);
        List<String> exports = new java.util.ArrayList<>();
        for (int i = 0; i < m.exportSection().exportCount(); i++) {
            exports.add(m.exportSection().getExport(i).name());
        }
        assertEquals(List.of("memory", "get", "bump", "grow", "spin", "__faasm_get_global_0", "__faasm_set_global_0"), exports);
        assertEquals(0, m.dataSection().dataSegmentCount(), "the data is taken out of the module");
        assertEquals(0, r.dataOffset());
        assertArrayEquals(new byte[] {1, 0, 0, 0}, r.data());
        FaasmException e = assertThrows(FaasmException.class, () -> WasmRewriter.rewrite("not wasm".getBytes(StandardCharsets.UTF_8), "x.wasm"));
        assertTrue(e.getMessage().contains("x.wasm") && e.getMessage().contains("not a WebAssembly"), e.getMessage());
    }

    @Test
    void theRewriteRenamesInitializeAndKeepsEveryDataSegmentInPlace() throws Exception {
        WasmRewriter.Rewritten r = WasmRewriter.rewrite(Files.readAllBytes(Wat.assemble("probe", tmp)), "probe.wasm");
        WasmModule m = Parser.parse(r.wasm());
        List<String> exports = new java.util.ArrayList<>();
        for (int i = 0; i < m.exportSection().exportCount(); i++) {
            exports.add(m.exportSection().getExport(i).name());
        }
        assertTrue(exports.contains(WasmRewriter.INITIALIZE) && !exports.contains("_initialize"), exports.toString());
        assertEquals(0, r.dataOffset());
        assertEquals("key", new String(r.data(), 0, 3, StandardCharsets.US_ASCII));
        assertEquals("ALWAYS_OFF", new String(r.data(), 32, 10, StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] {(byte) 0xe8, 3, 0, 0, -1, -1, -1, 0x7f}, java.util.Arrays.copyOfRange(r.data(), 256, 264));
    }

    /**
     * A snapshot is what every restored instance starts from: its memory and globals, and nothing a
     * call did after it (wasmtime maps it copy-on-write for instances with its limit, and copies it
     * into others; the pure-JVM engine copies it).
     */
    @ParameterizedTest
    @ValueSource(strings = {"wasmtime", "chicory"})
    void anInstanceRestoredFromASnapshotStartsFromItsMemoryAndGlobals(String name) {
        WasmEngine.LoadedModule module = Engines.select(name, Log.NONE).load(wasm, CodeCaches.fresh());
        long far = System.nanoTime() + 60_000_000_000L;
        try (WasmEngine.Guest g = module.instantiate(twice(), 4); WasmEngine.Guest other = module.instantiate(twice(), 3)) {
            assertEquals(43, g.call("bump", far));
            g.memory().writeI32(0, 10);
            g.memory().writeI32(65536 + 100, 5);
            try (Snapshot s = module.snapshot(g.memory().readBytes(0, g.memory().pages() * 65536), g.globals(), 4)) {
                for (WasmEngine.Guest guest : List.of(g, other)) {
                    for (int round = 0; round < 3; round++) {
                        guest.restore(s);
                        assertEquals(2 * (43 + 10) + 7, guest.call("get", far), name + ": the snapshot's global and memory, round " + round);
                        assertEquals(5, guest.memory().readInt(65536 + 100));
                        assertEquals(44, guest.call("bump", far));
                        guest.memory().writeI32(0, 1000);
                        guest.memory().writeI32(65536 + 100, 0);
                        if (guest.memory().pages() == 2) {
                            assertEquals(2, guest.memory().grow(1));
                        }
                        guest.memory().writeI32(2 * 65536, 7);
                    }
                    guest.restore(s);
                    assertTrue(guest.memory().pages() == 2 || guest.memory().readInt(2 * 65536) == 0, "pages past the snapshot are as new");
                }
            }
        }
    }

    @Test
    void wasmtimesCompiledCodeIsVerifiedAndADamagedEntryIsDropped() throws Exception {
        Path code = tmp.resolve("verified");
        Engines.select("wasmtime", Log.NONE).load(wasm, code);
        Path dir = code.resolve("wasmtime-java-" + WasmtimeEngine.bindingsVersion());
        List<Path> entries = WasmtimeCodeCache.entries(dir);
        assertEquals(1, entries.size(), "one compiled module: " + entries);
        Path entry = entries.get(0);
        Path digest = WasmtimeCodeCache.digestOf(dir, entry);
        assertTrue(Files.isRegularFile(digest), "its sha256 is kept");
        Thread.sleep(1000); // wasmtime's clean-up runs in the background after an update
        assertTrue(Files.isRegularFile(digest), "wasmtime's clean-up leaves the digest alone");
        WasmtimeCodeCache.prepare(dir);
        assertTrue(Files.exists(entry), "an entry that matches its digest is kept");
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 1;
        Files.write(entry, bytes);
        WasmtimeCodeCache.prepare(dir);
        assertFalse(Files.exists(entry), "a damaged entry is deleted, so wasmtime compiles the module again");
        assertFalse(Files.exists(digest));
        Path orphan = Files.writeString(entry.resolveSibling("Orphan"), "half written by someone else");
        WasmtimeCodeCache.prepare(dir);
        assertFalse(Files.exists(orphan), "an entry without a digest is not trusted");
    }

    @Test
    void onAPlatformWithoutTheNativeLibraryWasmtimeFailsAndAutoFallsBack() throws Exception {
        // wasmtime-java picks its library by os.name: a JVM that says FreeBSD has none
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dos.name=FreeBSD", "-cp", System.getProperty("java.class.path"),
                EngineChoiceMain.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("wasmtime: engine is wasmtime, but it cannot run on FreeBSD"), out);
        assertTrue(out.contains("engine chicory"), "names the fallback: " + out);
        assertTrue(out.contains("[info] The local host runs on the pure-JVM engine") && out.contains("platform not supported"), out);
        assertTrue(out.contains("auto: chicory"), out);
    }

    @Test
    void anUnknownEngineNameSaysWhichOnesExist() {
        FaasmException e = assertThrows(FaasmException.class, () -> Engines.select("v8", Log.NONE));
        assertTrue(e.getMessage().contains("'v8'") && e.getMessage().contains("auto, wasmtime, chicory"), e.getMessage());
        assertNull(WasmtimeEngine.unavailableReason(), "this build's machines are Linux x86_64, where the library loads");
        assertEquals("wasmtime", Engines.select("auto", Log.NONE).name());
        assertEquals("chicory", Engines.select("CHICORY", Log.NONE).name());
    }
}
