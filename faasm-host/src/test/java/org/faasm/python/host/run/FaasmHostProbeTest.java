package org.faasm.python.host.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.engine.Wat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host's own guards, tested without CPython on both engines: a small module
 * ({@code host/probe.wat}, assembled with wabt's wat2wasm) passes bad values to host functions,
 * traps, spins and recurses on request. CI installs wabt; elsewhere the test is skipped when
 * wat2wasm is missing.
 */
class FaasmHostProbeTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private Path wasm;

    @BeforeEach
    void assemble() throws Exception {
        wasm = Wat.assemble("probe", tmp);
    }

    private FaasmHost host(HostLimits limits, String engine) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root/lib"));
        Path fn = Files.createDirectories(tmp.resolve("probe"));
        Files.writeString(fn.resolve("function.py"), "");
        return new FaasmHost(HostOptions.of(wasm, root.getParent(), fn, "python", "probe", Set.of(), new ByteArrayOutputStream(),
                stderr, null, null).withLimits(limits).withEngine(engine));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wasmtime", "chicory"})
    void aNegativeOffsetAndARangeOutsideMemoryFailTheCallNamingTheHostFunction(String engine) throws Exception {
        try (FaasmHost h = host(HostLimits.DEFAULTS, engine)) {
            FaasmHost.CallResult neg = h.call("neg", new byte[0]);
            assertEquals(FaasmHost.FAILED, neg.returnCode());
            assertTrue(neg.failure().contains("__faasm_read_state_offset: the offset -1 is negative"), neg.failure());
            assertEquals("ok", neg.outputText(), "the output written before is kept");
            FaasmHost.CallResult empty = h.call("empty", new byte[0]);
            assertTrue(empty.failure().contains("__faasm_read_state_offset: the state key is empty"), empty.failure());
            FaasmHost.CallResult oob = h.call("oob", new byte[0]);
            assertTrue(oob.failure().contains("__faasm_write_output: the output [131000, 131100) lies outside the guest's 131072 bytes"),
                    oob.failure());
            FaasmHost.CallResult fine = h.call("", new byte[0]);
            assertEquals(0, fine.returnCode());
            assertNull(fine.failure(), "the host goes on after failed calls");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wasmtime", "chicory"})
    void trapsAndEndlessRecursionAreTheCallsFailure(String engine) throws Exception {
        try (FaasmHost h = host(HostLimits.DEFAULTS, engine)) {
            FaasmHost.CallResult trap = h.call("trap", new byte[0]);
            assertEquals(FaasmHost.FAILED, trap.returnCode());
            assertTrue(trap.failure().contains("WebAssembly trap"), trap.failure());
            FaasmHost.CallResult deep = h.call("deep", new byte[0]);
            assertEquals(FaasmHost.FAILED, deep.returnCode());
            assertTrue(deep.failure().contains("its call stack overflowed"), deep.failure());
            assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("faasm: Call of python/probe (deep) failed"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wasmtime", "chicory"})
    void aCallThatNeverEndsIsStoppedAtTheTimeout(String engine) throws Exception {
        long t0 = System.nanoTime();
        try (FaasmHost h = host(HostLimits.DEFAULTS.withTimeout(1), engine)) {
            FaasmHost.CallResult spin = h.call("spin", new byte[0]);
            assertEquals(FaasmHost.FAILED, spin.returnCode());
            assertTrue(spin.failure().contains("did not finish within timeout = 1 s"), spin.failure());
            assertEquals("ok", spin.outputText());
        }
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "stopped in time");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wasmtime", "chicory"})
    void aBufferLongerThanTheGuestsMemoryIsEfaultBeforeTheHostAllocatesIt(String engine) throws Exception {
        try (FaasmHost h = host(HostLimits.DEFAULTS, engine)) {
            FaasmHost.CallResult r = h.call("read", new byte[0]);
            assertNull(r.failure(), "no host error (a 2 GiB array would be)");
            assertEquals(21, r.returnCode(), "EFAULT");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wasmtime", "chicory"})
    void alwaysOnIsOnAndAlwaysOffIsOff(String engine) throws Exception {
        try (FaasmHost h = host(HostLimits.DEFAULTS, engine)) {
            assertEquals(1, h.call("flag", new byte[0]).returnCode());
        }
    }
}
