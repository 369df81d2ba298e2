package org.faasm.python.cpython;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.faasm.python.core.FaasmException;
import org.faasm.python.core.FaasmPaths;
import org.faasm.python.core.runner.FaasmHost;
import org.faasm.python.core.runner.FaasmHost.CallResult;
import org.junit.jupiter.api.Test;

/**
 * Faasm's Python test functions, run through the real py_func.wasm on the local Faasm host, with
 * the assertions Faasm's own tests make.
 */
class FaasmFunctionsIT {
    private static final Path SYSROOT = Path.of(System.getProperty("faasm.sysrootDirectory", "target/faasm-sysroot"));
    private static final Path FUNCTIONS = Path.of(System.getProperty("faasm.functions", "src/test/faasm-functions"));

    private static final Path CACHE = FaasmPaths.cacheRoot(null, System.getenv(), System.getProperty("user.home"));

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private FaasmHost host(String function, Set<String> flags) {
        return new FaasmHost(new FaasmHost.Options(SYSROOT.resolve("wasm/python/py_func/function.wasm"), SYSROOT.resolve("runtime_root"),
                FUNCTIONS.resolve(function), "python", function, flags, stdout, stderr,
                CACHE.resolve("chicory"), CACHE.resolve("zygote")));
    }

    private CallResult run(String function, String input) {
        try (FaasmHost h = host(function, Set.of())) {
            return h.call("", input.getBytes(StandardCharsets.UTF_8));
        }
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void echoOutputsItsInput() {
        CallResult r = run("echo", "Hello, Faasm! ünïcode");
        assertEquals(0, r.returnCode(), err());
        assertEquals("Hello, Faasm! ünïcode", r.outputText());
    }

    @Test
    void helloWritesAGreetingWithTheVersion() {
        CallResult r = run("hello", "");
        assertEquals(0, r.returnCode(), err());
        assertEquals("Hello from Python 3.11.2", r.outputText());
    }

    @Test
    void langTestPasses() {
        CallResult r = run("lang_test", "");
        assertEquals(0, r.returnCode(), err());
        assertTrue(out().contains("lang_test passed"), out());
    }

    @Test
    void chainRunsTwoCallsWithTheirInputsAndAwaitsBoth() {
        CallResult r = run("chain", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertTrue(out().contains("Chained 1 got input b'1234'"), out());
        assertTrue(out().contains("Chained 2 got input b'5678'"), out());
        assertTrue(out().contains("Chaining complete"), out());
    }

    @Test
    void stateWrittenByOneCallIsReadByTheNext() {
        try (FaasmHost writer = host("state_test_write", Set.of())) {
            assertEquals(0, writer.call("", new byte[0]).returnCode(), err());
            assertArrayEquals("0199956789".getBytes(StandardCharsets.US_ASCII), writer.state().get("pyStateTest"));
            FaasmHost reader = host("state_test_read", Set.of());
            // one run: the reader shares the writer's state store
            CallResult r = readWith(reader, writer);
            assertEquals(0, r.returnCode(), out() + err());
            assertTrue(out().contains("State read OK"), out());
        }
    }

    private CallResult readWith(FaasmHost reader, FaasmHost writer) {
        reader.state().set("pyStateTest", writer.state().get("pyStateTest"));
        try (reader) {
            return reader.call("", new byte[0]);
        }
    }

    @Test
    void aMissingStateKeyHasSizeZero() {
        try (FaasmHost h = host("state_test_read", Set.of())) {
            CallResult r = h.call("", new byte[0]);
            assertEquals(1, r.returnCode());
            assertTrue(out().contains("Mismatch: expected b'0199956789', got b'\\x00"), out());
        }
    }

    @Test
    void dictStatePassesAPickledDictThroughStateToAChainedCall() {
        CallResult r = run("dict_state", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertTrue(out().contains("Dict from state OK"), out());
    }

    @Test
    void hashCheckGivesTheMd5OfHelloFaasm() throws Exception {
        CallResult r = run("hash_check", "");
        assertEquals(0, r.returnCode(), err());
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest("Hello faasm".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(expected, r.outputText());
    }

    @Test
    void pickleRoundTrips() {
        CallResult r = run("pickle_check", "");
        assertEquals(0, r.returnCode(), err());
        assertTrue(out().contains("Pickle round trip OK"));
    }

    @Test
    void theStdlibListingInTheGuestEqualsTheHostDirectory() throws Exception {
        CallResult r = run("dir_test", "");
        assertEquals(0, r.returnCode(), err());
        List<String> lines = List.of(r.outputText().split("\n"));
        assertEquals("/lib/python3.11", lines.get(0));
        Set<String> host = new TreeSet<>();
        try (Stream<Path> s = Files.list(SYSROOT.resolve("runtime_root/lib/python3.11"))) {
            s.forEach(p -> host.add(p.getFileName().toString()));
        }
        assertEquals(host, new TreeSet<>(lines.subList(1, lines.size())));
        assertTrue(host.contains("site-packages") && host.contains("json"));
    }

    @Test
    void anExceptionGivesOneAndTheTraceback() {
        CallResult r = run("raises", "");
        assertEquals(1, r.returnCode());
        assertTrue(err().contains("Traceback (most recent call last):"), err());
        assertTrue(err().contains("in helper"), err());
        assertTrue(err().contains("ValueError: something went wrong in the function"), err());
    }

    @Test
    void exitGivesItsCode() {
        CallResult r = run("exit_code", "");
        assertEquals(7, r.returnCode(), err());
        assertTrue(out().contains("exiting with 7"));
    }

    @Test
    void theReturnValueIsTheReturnCodeAndAnEntryGetsTheInput() {
        try (FaasmHost h = host("returns_code", Set.of())) {
            assertEquals(3, h.call("faasm_main", new byte[0]).returnCode());
            CallResult r = h.call("with_input", "abc".getBytes(StandardCharsets.US_ASCII));
            assertEquals(0, r.returnCode(), err());
            assertEquals("cba", r.outputText());
        }
    }

    @Test
    void anUnknownEntryIsNamed() {
        try (FaasmHost h = host("returns_code", Set.of())) {
            assertEquals(1, h.call("no_such_entry", new byte[0]).returnCode());
        }
        assertTrue(err().contains("no function 'no_such_entry' in /pyfuncs/python/returns_code/function.py"), err());
    }

    @Test
    void chainingToAnUnknownEntryFailsThatCallAndNamesIt() {
        CallResult r = run("chain_unknown", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertTrue(out().contains("chained call returned 1"), out());
        assertTrue(err().contains("no function 'no_such_function' in /pyfuncs/python/chain_unknown/function.py"), err());
    }

    @Test
    void aSyntaxErrorIsShown() {
        CallResult r = run("syntax_error", "");
        assertEquals(1, r.returnCode());
        assertTrue(err().contains("SyntaxError"), err());
        assertTrue(err().contains("function.py"), err());
    }

    @Test
    void aMissingFunctionFileIsAClearError() {
        FaasmException e = assertThrows(FaasmException.class, () -> host("does_not_exist", Set.of()));
        assertTrue(e.getMessage().contains("No function.py in"), e.getMessage());
    }

    @Test
    void theGuestCannotReachHostFilesOutsideItsMounts() {
        CallResult r = run("escape", "");
        assertEquals(0, r.returnCode(), err());
        assertFalse(r.outputText().contains("READ"), r.outputText());
        assertEquals(4, r.outputText().split("\n").length, r.outputText());
    }

    @Test
    void thePreloadFlagImportsPyfaasmInTheZygote() {
        try (FaasmHost h = host("preload", Set.of("PYTHON_PRELOAD"))) {
            assertEquals("pyfaasm preloaded: True", h.call("", new byte[0]).outputText());
        }
        try (FaasmHost h = host("preload", Set.of())) {
            assertEquals("pyfaasm preloaded: False", h.call("", new byte[0]).outputText());
        }
    }

    @Test
    void everyCallStartsFromTheZygoteSnapshot() {
        try (FaasmHost h = host("snapshot", Set.of())) {
            assertEquals(0, h.call("", new byte[0]).returnCode(), err());
            assertEquals(0, h.call("", new byte[0]).returnCode(), "state leaked from the first call into the second");
        }
    }

    // --- third-party modules (modules-module), cross-built into the sysroot and py_func.wasm ---

    @Test
    void sixMovesWorks() {
        CallResult r = run("modules_six", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertEquals("six 1.16.0;PY3=True;sum=3;quote=a%20b/c;query=x=1+2;config=wasm;text_type=str", r.outputText());
    }

    @Test
    void pyaesCtrMatchesTheNistVectorAndRoundTrips() {
        CallResult r = run("modules_pyaes", "");
        assertEquals(0, r.returnCode(), out() + err());
        // NIST SP 800-38A, F.5.1 CTR-AES128.Encrypt, ciphertext blocks 1 to 4
        assertEquals("874d6191b620e3261bef6864990db6ce" + "9806f66b7970fdff8617187bb9fffdff"
                + "5ae4df3edbd5d35e5b4f09020db03eab" + "1e031dda2fbe03d1792170a0f3009cee", r.outputText());
    }

    @Test
    void genshiRendersAMarkupTemplateWithItsStaticallyLinkedSpeedups() {
        CallResult r = run("modules_genshi", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertEquals("<html>\n<h1>Genshi on Faasm</h1>\n<ul><li class=\"hot\">wasm</li><li>&lt;python&gt;</li></ul>\n</html>",
                r.outputText());
        assertTrue(out().contains("speedups: True built-in"), out());
    }

    @Test
    void theCExtensionFixtureIsABuiltInModuleCompiledForWasi() {
        CallResult r = run("modules_cext", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertEquals("add=42;fnv1a_matches=True;platform=wasm32-wasi;origin=built-in;builtin=True", r.outputText());
    }

    @Test
    void theSysrootShipsTheModulesWithFreshBytecodeAndTheExtensionArchives() throws Exception {
        Path site = SYSROOT.resolve("runtime_root/lib/python3.11/site-packages");
        for (String f : List.of("six.py", "pyaes/aes.py", "genshi/template/markup.py", "faasm_cext_demo/__init__.py")) {
            assertTrue(Files.isRegularFile(site.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(site.resolve("__pycache__/six.cpython-311.pyc")), "six is precompiled");
        for (String a : List.of("libpyext-genshi._speedups.a", "libpyext-faasm_cext_demo._native.a")) {
            assertTrue(Files.isRegularFile(SYSROOT.resolve("llvm-sysroot/lib/wasm32-wasi").resolve(a)), a);
        }
        try (Stream<Path> files = Files.walk(site)) {
            List<Path> nativeLibs = files.filter(p -> p.toString().endsWith(".so")).toList();
            assertEquals(List.of(), nativeLibs, "no shared libraries in site-packages");
        }
    }
}
