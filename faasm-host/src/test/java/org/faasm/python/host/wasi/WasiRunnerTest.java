package org.faasm.python.host.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.faasm.python.host.CodeCaches;
import org.faasm.python.host.engine.Wat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WasiRunnerTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"wasmtime", "chicory"})
    void aCommandRunsOnAnEngineOfTheHostAndWritesOnlyToAWritableMount(String engine) throws Exception {
        Path wasm = Wat.assemble("command", tmp);
        Path rw = Files.createDirectory(tmp.resolve("rw"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WasiRunner.Result r = new WasiRunner(wasm).engine(engine).compilerCache(CodeCaches.fresh()).args(List.of("command"))
                .mountWritable("/data", rw).stdout(out).run();
        assertEquals(7, r.exitCode());
        assertFalse(r.timedOut());
        assertEquals("hello\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(rw.resolve("out.txt")));

        Path ro = Files.createDirectory(tmp.resolve("ro"));
        r = new WasiRunner(wasm).engine(engine).compilerCache(CodeCaches.fresh()).args(List.of("command"))
                .mount("/data", ro).stdout(new ByteArrayOutputStream()).run();
        assertEquals(100 + 69, r.exitCode(), "creating a file in a read-only mount is EROFS (69)");
        assertFalse(Files.exists(ro.resolve("out.txt")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wasmtime", "chicory"})
    void nonBlockingOnARegularFileIsRememberedAndReported(String engine) throws Exception {
        Path wasm = Wat.assemble("nonblock", tmp);
        Path rw = Files.createDirectory(tmp.resolve("rw"));
        WasiRunner.Result r = new WasiRunner(wasm).engine(engine).compilerCache(CodeCaches.fresh()).args(List.of("nonblock"))
                .mountWritable("/data", rw).run();
        assertEquals(0, r.exitCode(), "the step that went wrong");
    }

    @Test
    void wasmtimeStopsACommandAtItsTimeout() throws Exception {
        Path wasm = Wat.assemble("spin", tmp);
        long t0 = System.nanoTime();
        WasiRunner.Result r = new WasiRunner(wasm).engine("wasmtime").timeout(Duration.ofMillis(300)).args(List.of("spin")).run();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(r.timedOut());
        assertEquals(WasiRunner.TIMED_OUT, r.exitCode());
        // the time includes compiling the module (seconds on a busy machine): the bound says the run ends
        assertTrue(ms >= 290 && ms < 60_000, "stopped after " + ms + " ms");
    }
}
