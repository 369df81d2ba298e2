package org.faasm.python.cpython;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.run.FaasmHost.CallResult;
import org.faasm.python.host.run.FaasmHost;
import org.faasm.python.host.run.HostOptions;
import org.faasm.python.host.state.GlobalState;
import org.faasm.python.host.util.UserCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faasm's Python test functions, run through the real py_func.wasm on the local Faasm host, with
 * the assertions Faasm's own tests make. The build runs the suite once per engine
 * ({@code faasm.engine}: wasmtime, chicory).
 */
class FaasmFunctionsIT {
    private static final Path SYSROOT = Path.of(System.getProperty("faasm.sysrootDirectory", "target/faasm-sysroot"));
    private static final Path FUNCTIONS = Path.of(System.getProperty("faasm.functions", "src/test/faasm-functions"));

    private static final Path CACHE = UserCache.root(null, System.getenv(), System.getProperty("user.home"));
    private static final String ENGINE = System.getProperty("faasm.engine", "auto");

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private HostOptions options(Path dir, String user, String function, Set<String> flags, Path snapshots) {
        return HostOptions.of(SYSROOT.resolve("wasm/python/py_func/function.wasm"), SYSROOT.resolve("runtime_root"),
                dir, user, function, flags, stdout, stderr, CACHE.resolve("code"), snapshots).withEngine(ENGINE);
    }

    private HostOptions options(String function, Set<String> flags) {
        return options(FUNCTIONS.resolve(function), "python", function, flags, CACHE.resolve("zygote"));
    }

    private FaasmHost host(String function, Set<String> flags) {
        return new FaasmHost(options(function, flags));
    }

    private FaasmHost host(String function, HostLimits limits) {
        return new FaasmHost(options(function, Set.of()).withLimits(limits));
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
        assertEquals("Hello from Python " + Pinned.VERSION, r.outputText());
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
    void stateWrittenByOneCallIsReadByTheNextOnTheSameHost() {
        try (FaasmHost h = host("state_test_write", Set.of())) {
            assertEquals(0, h.call("", new byte[0]).returnCode(), err());
            assertArrayEquals("0199956789".getBytes(StandardCharsets.US_ASCII), h.state().global().get("python", "pyStateTest"),
                    "push_state and push_state_partial reached the global tier");
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
    void theStdlibListingInTheGuestEqualsTheSysrootManifest() throws Exception {
        CallResult r = run("dir_test", "");
        assertEquals(0, r.returnCode(), err());
        List<String> lines = List.of(r.outputText().split("\n"));
        assertEquals("/lib/python" + Pinned.MAJOR_MINOR, lines.get(0));
        // what the sysroot was made with, from its stamp's manifest (not from the mounted directory)
        String prefix = "runtime_root/lib/python" + Pinned.MAJOR_MINOR + "/";
        Set<String> expected = new TreeSet<>();
        for (String line : Files.readAllLines(SYSROOT.resolve(".faasm-key"))) {
            int at = line.indexOf(prefix);
            if (line.startsWith("file ") && at > 0) {
                expected.add(line.substring(at + prefix.length()).split("/")[0]);
            }
        }
        assertTrue(expected.contains("site-packages") && expected.contains("json"), expected.toString());
        assertEquals(expected, new TreeSet<>(lines.subList(1, lines.size())));
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

    /** As Faasm's Python zygote does: the API every function imports is in the snapshot, with or without the flag. */
    @Test
    void theZygoteImportsPyfaasm() {
        try (FaasmHost h = host("preload", Set.of("PYTHON_PRELOAD"))) {
            assertEquals("pyfaasm preloaded: True", h.call("", new byte[0]).outputText());
        }
        try (FaasmHost h = host("preload", Set.of())) {
            assertEquals("pyfaasm preloaded: True", h.call("", new byte[0]).outputText());
        }
    }

    @Test
    void thePreloadFlagAlsoImportsNumpyAndPreloadImportsListedModules() {
        try (FaasmHost h = host("preload_modules", Set.of("PYTHON_PRELOAD"))) {
            // NumPy 2 imports numpy.random and numpy.fft on first use; the zygote imports them with numpy
            assertEquals("genshi.template=False numpy=True numpy.fft=True numpy.random=True pyaes=False six=False", h.call("", new byte[0]).outputText(), err());
        }
        try (FaasmHost h = new FaasmHost(options("preload_modules", Set.of()).withPreload(List.of("six", "pyaes", "genshi.template")))) {
            for (int i = 0; i < 2; i++) {
                assertEquals("genshi.template=True numpy=False numpy.fft=False numpy.random=False pyaes=True six=True", h.call("", new byte[0]).outputText(), err());
            }
        }
        try (FaasmHost h = host("preload_modules", Set.of())) {
            assertEquals("genshi.template=False numpy=False numpy.fft=False numpy.random=False pyaes=False six=False", h.call("", new byte[0]).outputText(), err());
        }
    }

    @Test
    void aPreloadedModuleThatDoesNotImportFailsBeforeAnyCallShowingItsTraceback() {
        FaasmException e = assertThrows(FaasmException.class, () -> {
            try (FaasmHost h = new FaasmHost(options("hello", Set.of()).withPreload(List.of("six", "no_such_module")))) {
                h.call("", new byte[0]);
            }
        });
        assertTrue(e.getMessage().contains("Preloading pyfaasm.core, six, no_such_module in the zygote failed, before any call"), e.getMessage());
        assertEquals(org.faasm.python.host.HostSetting.PRELOAD, e.setting(), e.describe());
        assertTrue(err().contains("ModuleNotFoundError: No module named 'no_such_module'"), err());
        assertEquals("", out(), "no call ran");
    }

    @Test
    void everyCallStartsFromTheZygoteSnapshot() {
        try (FaasmHost h = host("snapshot", Set.of())) {
            assertEquals(0, h.call("", new byte[0]).returnCode(), err());
            assertEquals(0, h.call("", new byte[0]).returnCode(), "state leaked from the first call into the second");
        }
    }

    // --- the host cannot be harmed, and behaves like Faasm (read-only root, limits, traps, API) ---

    /** A digest of every file's path and bytes under the runtime root. */
    private static String treeDigest() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Path root = SYSROOT.resolve("runtime_root");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted().toList()) {
                md.update(root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(p)) {
                    md.update(Files.readAllBytes(p));
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void theRootIsReadOnlyAndOnlyTmpIsWritable() throws Exception {
        String before = treeDigest();
        CallResult r = run("write_root", "");
        assertEquals(0, r.returnCode(), out() + err());
        List<String> lines = List.of(r.outputText().split("\n"));
        assertEquals(12, lines.size(), r.outputText());
        for (String line : lines.subList(0, 11)) {
            assertTrue(line.endsWith(": EROFS") || line.endsWith(": EACCES") || line.endsWith(": EXDEV"), line);
        }
        assertTrue(lines.get(0).equals("new file in /: EROFS") && lines.get(2).equals("stdlib append: EROFS"), r.outputText());
        assertEquals("tmp: x", lines.get(11));
        assertEquals(before, treeDigest(), "the runtime root changed");
        assertFalse(Files.exists(SYSROOT.resolve("runtime_root/created.txt")));
        CallResult next = run("hello", "");
        assertEquals("Hello from Python " + Pinned.VERSION, next.outputText(), "the next run is unaffected");
    }

    @Test
    void anEndlessLoopIsStoppedAtTheTimeoutAndItsEarlierOutputIsKept() {
        long t0 = System.nanoTime();
        CallResult r;
        try (FaasmHost h = host("loop", HostLimits.DEFAULTS.withTimeout(3))) {
            r = h.call("", new byte[0]);
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertTrue(seconds < 30, "took " + seconds + " s");
        assertEquals(FaasmHost.FAILED, r.returnCode());
        assertEquals("partial output", r.outputText());
        assertTrue(r.failure().contains("within timeout = 3 s"), r.failure());
        assertTrue(out().contains("started the endless loop"), out());
    }

    @Test
    void aGuestPastItsMemoryLimitGetsMemoryErrorAndTheHostStaysHealthy() {
        try (FaasmHost h = host("big_alloc", HostLimits.DEFAULTS.withMemory(512))) {
            CallResult r = h.call("", new byte[0]);
            assertEquals(0, r.returnCode(), out() + err());
            assertEquals("MemoryError", r.outputText());
        }
        assertEquals("Hello from Python " + Pinned.VERSION, run("hello", "").outputText());
    }

    @Test
    void deepCRecursionFailsTheCallNotTheHost() {
        try (FaasmHost h = host("deep_c_recursion", Set.of())) {
            CallResult r = h.call("", new byte[0]);
            assertEquals(FaasmHost.FAILED, r.returnCode());
            assertNotNull(r.failure());
            assertTrue(r.failure().contains("python/deep_c_recursion (faasm_main)"), r.failure());
            assertEquals("before the recursion", r.outputText());
            assertTrue(err().contains("faasm: Call of python/deep_c_recursion"), err());
            assertFalse(err().contains("\tat "), "no Java stack trace: " + err());
            // the same host goes on
            assertEquals(0, h.call("chained", new byte[0]).returnCode(), out() + err());
        }
    }

    @Test
    void deepCRecursionInAChainedCallMakesAwaitCallNonZeroAndTheCallerGoesOn() {
        try (FaasmHost h = host("deep_c_recursion", Set.of())) {
            CallResult r = h.call("chained", new byte[0]);
            assertEquals(0, r.returnCode(), out() + err());
            assertEquals("callee returned 1; caller went on", r.outputText());
        }
    }

    @Test
    void chainDepthFanOutAndSizeLimitsFailTheCallsThatPassThem() {
        HostLimits limits = new HostLimits(60, 1024, 3, 3, 64, 40, 1024, 1024, 1024, 4096);
        try (FaasmHost h = host("chain_limits", limits)) {
            CallResult r = h.call("", new byte[0]);
            assertEquals(0, r.returnCode(), out() + err());
            // chained depths 1 to 3 run, depth 4 is refused (code 1); each of the 4 callers adds 10
            // (faasm_main's own nest() included); faasm_main's first chained call is nest, so 2 leaves fit
            assertEquals("nest=41 fan-out=[0, 0, 1, 1, 1]", r.outputText());
            assertTrue(err().contains("refused: chained calls nest deeper than chainDepth = 3"), err());
            assertTrue(err().contains("refused: the call chains more than chainFanOut = 3 calls"), err());
            CallResult big = h.call("big_output", new byte[0]);
            assertEquals(FaasmHost.FAILED, big.returnCode());
            assertTrue(big.failure().contains("larger than maxOutputBytes = 40"), big.failure());
            FaasmException e = assertThrows(FaasmException.class, () -> h.call("", new byte[65]));
            assertTrue(e.getMessage().contains("more than maxInputBytes = 64"), e.getMessage());
        }
    }

    @Test
    void closingThePreopensDoesNotReachTheNextCall() {
        try (FaasmHost h = host("close_root", Set.of())) {
            for (int i = 0; i < 2; i++) {
                CallResult r = h.call("", new byte[0]);
                assertEquals(0, r.returnCode(), out() + err());
                assertEquals("read 20 bytes, closed the preopens", r.outputText());
            }
        }
    }

    @Test
    void aChainedCallsOutputIsAwaitedAndAFailedCalleeGivesNonZero() {
        CallResult r = run("chain_output", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertEquals("cba;0;1;half done", r.outputText());
    }

    @Test
    void alwaysOnAndAlwaysOffAreFaasmsTestFlags() {
        try (FaasmHost h = host("conf_flags", Set.of("PYTHON_PRELOAD"))) {
            assertEquals("True False True", h.call("", new byte[0]).outputText());
        }
    }

    @Test
    void badStateOffsetsRaiseInPythonAndTheHostRefusesWhatGetsPast() {
        try (FaasmHost h = host("state_bad_offset", Set.of())) {
            CallResult r = h.call("", new byte[0]);
            assertEquals(0, r.returnCode(), out() + err());
            assertEquals("ValueError;ValueError;OverflowError;ValueError", r.outputText());
            CallResult huge = h.call("huge", new byte[0]);
            assertEquals(FaasmHost.FAILED, huge.returnCode());
            assertTrue(huge.failure().contains("__faasm_write_state_offset: the total length 2147483647 is larger than the guest's memory"),
                    huge.failure());
            assertEquals("", huge.outputText());
        }
    }

    @Test
    void aSymlinkOutOfTheFunctionDirectoryIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path fn = dir.resolve("leaky");
        Files.createDirectories(fn);
        Files.writeString(fn.resolve("function.py"), "def faasm_main():\n    return 0\n");
        Files.createSymbolicLink(fn.resolve("secret"), Path.of("/etc/hostname"));
        FaasmException e = assertThrows(FaasmException.class,
                () -> new FaasmHost(options(fn, "python", "leaky", Set.of(), CACHE.resolve("zygote"))));
        assertTrue(e.getMessage().contains("symbolic link secret that points outside the function directory"), e.getMessage());
    }

    @Test
    void userAndFunctionNamesCannotLeaveTheirDirectory() {
        for (String bad : List.of("..", "a/b", "../python", "")) {
            FaasmException e = assertThrows(FaasmException.class,
                    () -> new FaasmHost(options(FUNCTIONS.resolve("hello"), bad, "hello", Set.of(), CACHE.resolve("zygote"))));
            assertTrue(e.getMessage().contains("is not a Faasm name"), e.getMessage());
        }
    }

    @Test
    void stateWrittenByOneRunIsReadByTheNextThroughRedis(@TempDir Path dir) throws Exception {
        try (RedisServer redis = RedisServer.start(dir)) {
            try (GlobalState global = GlobalState.open(redis.url()); FaasmHost writer = new FaasmHost(options("state_test_write", Set.of())
                    .withState(global))) {
                assertEquals(0, writer.call("", new byte[0]).returnCode(), out() + err());
            }
            assertEquals("0199956789", redis.get("python_pyStateTest"), "Faasm's key layout: <user>_<key>");
            // a second run: a new host and a new connection
            try (GlobalState global = GlobalState.open(redis.url()); FaasmHost reader = new FaasmHost(options("state_test_read", Set.of())
                    .withState(global))) {
                CallResult r = reader.call("", new byte[0]);
                assertEquals(0, r.returnCode(), out() + err());
                assertTrue(out().contains("State read OK"), out());
            }
        }
    }

    @Test
    void aDamagedZygoteSnapshotIsReportedAndMadeAgain(@TempDir Path dir) throws Exception {
        List<String> warnings = new java.util.ArrayList<>();
        org.faasm.python.host.util.Log log = new org.faasm.python.host.util.Log() {
            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {
                warnings.add(message);
            }

            @Override
            public void debug(String message) {}
        };
        HostOptions opts = options(FUNCTIONS.resolve("hello"), "python", "hello", Set.of(), dir).withLog(log);
        try (FaasmHost h = new FaasmHost(opts)) {
            assertEquals(0, h.call("", new byte[0]).returnCode(), err());
        }
        Path snapshot;
        try (Stream<Path> s = Files.list(dir)) {
            snapshot = s.filter(p -> p.toString().endsWith(".zygote")).findFirst().orElseThrow();
        }
        long goodSize = Files.size(snapshot);
        // a well-formed file whose digest matches but which claims 2 GiB of memory: never allocated
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream body = new java.io.DataOutputStream(new java.util.zip.DeflaterOutputStream(raw))) {
            body.writeInt(0);
            body.writeInt(Integer.MAX_VALUE - 65535);
        }
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream header = new java.io.DataOutputStream(file);
        header.writeInt(0x5A594732);
        header.writeUTF(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw.toByteArray())));
        header.write(raw.toByteArray());
        Files.write(snapshot, file.toByteArray());
        try (FaasmHost h = new FaasmHost(opts)) {
            CallResult r = h.call("", new byte[0]);
            assertEquals("Hello from Python " + Pinned.VERSION, r.outputText(), err());
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("is not usable: it claims 2147418112 bytes of memory"), warnings.get(0));
        assertNotNull(org.faasm.python.host.run.ZygoteSnapshot.load(snapshot, 1L << 32).snapshot(), "made again");
        assertTrue(Files.size(snapshot) > goodSize / 2);
    }

    @Test
    void aRedisThatDoesNotAnswerFailsBeforeTheFunctionRuns() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "redis://127.0.0.1:" + port;
        FaasmException e = assertThrows(FaasmException.class, () -> GlobalState.open(url));
        assertTrue(e.getMessage().contains(url) && e.getMessage().contains("does not answer"), e.getMessage());
    }

    // --- what a call takes from the host is bounded and given back (faasm.tmpSize, maxOpenFiles, stateSize, totalMemory) ---

    /** The host directories ({@code faasm-host*}) in the JVM's temporary directory. */
    private static Set<String> hostDirectories() throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("faasm-host")).collect(java.util.stream.Collectors.toSet());
        }
    }

    private static Set<String> hostDirectoriesBefore;

    @org.junit.jupiter.api.BeforeAll
    static void rememberHostDirectories() throws Exception {
        hostDirectoriesBefore = hostDirectories();
    }

    @org.junit.jupiter.api.AfterAll
    static void noHostDirectoryOutlivesTheSuite() throws Exception {
        Set<String> left = new TreeSet<>(hostDirectories());
        left.removeAll(hostDirectoriesBefore);
        assertEquals(Set.of(), left, "host directories left in " + System.getProperty("java.io.tmpdir"));
    }

    @Test
    void aTreePastThePathLimitThroughALinkIsRefusedInTheGuestAndDeleted() throws Exception {
        Set<String> before = hostDirectories();
        CallResult r = run("tmp_deep_tree", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertTrue(r.outputText().matches("mkdir after \\d+ levels: ENAMETOOLONG; open: ENAMETOOLONG; symlink: ENAMETOOLONG;"
                + " rename: ENAMETOOLONG"), r.outputText());
        assertEquals(before, hostDirectories(), "the host's directory is deleted");
    }

    @Test
    void slashTmpIsBoundedByTmpSizeAndADeleteFreesIt() {
        try (FaasmHost h = host("tmp_fill", HostLimits.DEFAULTS.withTmpSize(256))) {
            CallResult r = h.call("", new byte[0]);
            assertEquals(0, r.returnCode(), out() + err());
            assertEquals("256 MiB then ENOSPC; 1 TiB: ENOSPC; after a delete: 64 MiB", r.outputText());
            assertTrue(err().contains("would pass tmpSize = 256 MiB; it fails with ENOSPC"), err());
            // each call has a /tmp of its own: nothing of the last call is left
            CallResult next = h.call("leftover", new byte[0]);
            assertEquals("[]", next.outputText(), out() + err());
            assertEquals("[]", h.call("leftover", new byte[0]).outputText(), "the file the last call made is gone");
        }
    }

    @Test
    void openFilesAreBoundedPerCallAndAChainedCallAndALaterReadStillWork() {
        CallResult r = run("many_opens", "");
        assertEquals(0, r.returnCode(), out() + err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) EMFILE; chained: 0; read: b?'?(.*)").matcher(r.outputText());
        assertTrue(m.matches(), r.outputText());
        int held = Integer.parseInt(m.group(1));
        assertTrue(held > 1000 && held <= 1024, "held " + held + " of faasm.maxOpenFiles = 1024");
        assertTrue(err().contains("the limit maxOpenFiles = 1024; opening more fails with EMFILE"), err());
        assertEquals(0, run("echo", "after").returnCode(), "the next run opens files as usual");
    }

    @Test
    void stateHeldByTheHostIsBoundedByStateSize() {
        try (FaasmHost h = host("state_flood", Set.of())) {
            CallResult r = h.call("", new byte[0]);
            assertEquals(FaasmHost.FAILED, r.returnCode());
            assertTrue(r.failure().contains("__faasm_write_state: the state held by the host would be 1200 MiB")
                    && r.failure().contains("more than stateSize = 1024 MiB"), r.failure());
            assertTrue(out().contains("wrote flood1\n") && !out().contains("wrote flood2"), out());
            assertTrue(h.state().heldBytes() <= 1024L << 20, "held " + h.state().heldBytes());
            // the host goes on, and a value pushed is released from the local copies
            CallResult small = h.call("small", new byte[0]);
            assertEquals(0, small.returnCode(), out() + err());
            assertEquals("12345", small.outputText());
        }
    }

    @Test
    void nestedChainedCallsTogetherHoldAtMostTotalMemory() {
        try (FaasmHost h = host("nested_memory", HostLimits.DEFAULTS.withMemory(256).withTotalMemory(1024))) {
            CallResult r = h.call("", new byte[0]);
            assertEquals(0, r.returnCode(), out() + err());
            assertEquals("1", r.outputText(), "a nested call could not get its 200 MiB");
            // the call that passes it gets less memory than faasm.memory (MemoryError), or is refused when not even its start fits
            assertTrue(err().contains("of totalMemory = 1024 MiB"), err());
            assertTrue(err().contains("MemoryError") || err().contains("refused: the live guests"), err());
            assertTrue(h.peakGuestMemoryBytes() <= 1024L << 20, "peak " + (h.peakGuestMemoryBytes() >> 20) + " MiB");
        }
    }

    @Test
    void anAwaitedCallsOutputIsDroppedAndSaysSo() {
        try (FaasmHost h = host("chain_output", Set.of())) {
            CallResult r = h.call("dropped", new byte[0]);
            assertEquals(0, r.returnCode(), out() + err());
            assertEquals("0;the output of chained call 1 was dropped when await_call awaited it: call await_call_output first"
                    + " (await_call still gives the return code after it)", r.outputText());
        }
    }

    @Test
    void renameAndReplaceWorkInSlashTmp() {
        CallResult r = run("tmp_files", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertEquals("two three four ['b.txt', 'e', 'f.txt']", r.outputText());
    }

    @Test
    void aRefusedFunctionDirectoryLeavesNoHostDirectory(@TempDir Path dir) throws Exception {
        Set<String> before = hostDirectories();
        Path fn = dir.resolve("leaky");
        Files.createDirectories(fn);
        Files.writeString(fn.resolve("function.py"), "def faasm_main():\n    return 0\n");
        Files.createSymbolicLink(fn.resolve("secret"), Path.of("/etc/hostname"));
        assertThrows(FaasmException.class, () -> new FaasmHost(options(fn, "python", "leaky", Set.of(), CACHE.resolve("zygote"))));
        assertEquals(before, hostDirectories());
    }

    @Test
    void aUserNameWithAnUnderscoreIsRefusedSinceFaasmsStateKeysCouldNotTellItApart() {
        FaasmException e = assertThrows(FaasmException.class,
                () -> new FaasmHost(options(FUNCTIONS.resolve("hello"), "a_b", "hello", Set.of(), CACHE.resolve("zygote"))));
        assertTrue(e.getMessage().contains("The user 'a_b' has a '_'") && e.getMessage().contains("user 'a'"), e.getMessage());
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
    void regexMatchesUnicodePropertiesAndPossessiveQuantifiersWithItsCEngine() {
        CallResult r = run("modules_regex", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertEquals("letters=héllo,wörld,ñandú;possessive=None;greedy=aaaa;fuzzy=True;captures=w,a,s,m,2,2;engine=built-in;version=2.5.140", r.outputText());
    }

    @Test
    void pyyamlRoundTripsThroughLibyamlsCLoaderAndDumper() {
        CallResult r = run("modules_yaml", "");
        assertEquals(0, r.returnCode(), out() + err());
        // what PyYAML's pure-Python SafeLoader and Dumper give for the same document
        assertEquals("same=True\nname: faasm\nnested:\n  none: null\n  ok: true\n  text: wasm/wasi é\nversions:\n- 3.13\n- 2\n",
                r.outputText());
        assertTrue(out().contains("libyaml: True 0.2.5 built-in yaml._yaml"), out());
    }

    @Test
    void msgpackUjsonAndSimplejsonGiveTheExpectedBytesFromTheirCExtensions() {
        CallResult r = run("modules_serial", "");
        assertEquals(0, r.returnCode(), out() + err());
        // msgpack: as its pure-Python fallback packs it; the JSON as the standard library writes it (ujson escapes '/')
        assertEquals("msgpack=85a46e616d65a5666161736da16e9401cb4004000000000000fdcf0000010000000000a26f6bc3a46e6f6e65c0a66e657374656482"
                + "a16b92a2ceb1a3622f63a16580\n"
                + "ujson={\"n\":[1,2.5,-3,1099511627776],\"name\":\"faasm\",\"nested\":{\"e\":{},\"k\":[\"\\u03b1\",\"b\\/c\"]},\"none\":null,\"ok\":true}\n"
                + "simplejson={\"n\": [1, 2.5, -3, 1099511627776], \"name\": \"faasm\", \"nested\": {\"e\": {}, \"k\": [\"\\u03b1\", \"b/c\"]}, "
                + "\"none\": null, \"ok\": true}", r.outputText());
        for (String line : List.of("msgpack: True built-in", "ujson: built-in", "simplejson: True True built-in")) {
            assertTrue(out().contains(line + "\n"), line + " in\n" + out());
        }
    }

    @Test
    void aWraptDecoratorIsTheCFunctionWrapper() {
        CallResult r = run("modules_wrapt", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertEquals("result=50;calls=add(2, 3);name=add;doc=Adds two numbers.;c_wrapper=True;origin=built-in", r.outputText());
    }

    @Test
    void multidictsCaseInsensitiveDictIsTheCType() {
        CallResult r = run("modules_multidict", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertEquals("content-type=text/plain;x-faasm=1,2;keys=Content-Type,X-Faasm,x-faasm;md=1,2;copy=3,[('a', 1), ('a', 2)];c_type=True;origin=built-in",
                r.outputText());
    }

    @Test
    void dulwichCommitsToARepositoryInTmpReadsItBackAndDiffsTheTrees() {
        CallResult r = run("modules_dulwich", "");
        assertEquals(0, r.returnCode(), out() + err());
        // the commit id git itself gives for the same two commits
        assertEquals("head=4076e1cbb15b933828babc46afdd917c29b646a3;message=second;readme=hello faasm;"
                + "changes=add:>new.py,delete:gone.txt>,modify:README>README", r.outputText());
        assertTrue(out().contains("c extensions: True True True built-in"), out());
    }

    @Test
    void theCExtensionFixtureIsABuiltInModuleCompiledForWasi() {
        CallResult r = run("modules_cext", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertEquals("add=42;fnv1a_matches=True;platform=wasm32-wasi;origin=built-in;builtin=True", r.outputText());
    }

    @Test
    void numpyBehavesAsInFaasmsNumpyTest() {
        CallResult r = run("numpy_test", "");
        assertEquals(0, r.returnCode(), out() + err());
        String o = out();
        for (String line : List.of("numpy 2.1.3", "10=10 6=6 1,2=[1 2]", "a1 equal",
                "ints: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 int32 (11,) (4,)", // C long is 32-bit on wasm32
                "random ints in range: True int32 (10,)",
                "floats: array([ 0. ,  7.2,  9. , 10. , 10. , 41. , 42. , 43. ,  8. ,  9. ]) sum 179.2 item 10.0",
                "matrix: [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]] multiplied sum 42.0",
                "dtypes: ['int8', 'uint16', 'int64', 'float16', 'float32', 'float64', 'complex128', 'bool', '<U3']",
                // NumPy 2 (NEP 51): the repr of a scalar names its type; 1.26 printed 3.0
                "longdouble: np.longdouble('3.0') 128", "fancy: [[12, 20], [15, 23]] [0, 5, 10, 15, 20] [60, 92, 124]",
                "strings: ['FAASM', 'WASM'] [1, 2, 3]")) {
            assertTrue(o.contains(line + "\n"), line + " in\n" + o);
        }
        // NumPy 2's show_config (YAML, PyYAML being in the module set): built for wasi/wasm32, BLAS from the OpenBLAS C
        // library, LAPACK NumPy's own lapack_lite (Debian's OpenBLAS source carries no LAPACK)
        for (String config : List.of("    system: wasi\n", "    cpu: wasm32\n", "  cross-compiled: true\n", "    name: openblas\n",
                "    version: 0.3.21\n", "  lapack:\n    name: none\n", "  version: '" + Pinned.MAJOR_MINOR + "'\n")) {
            assertTrue(o.contains(config), "np.__config__.show() printed " + config + " in\n" + o);
        }
        // no SIMD at all (no baseline, no dispatch): show_config leaves the empty section out
        assertFalse(o.contains("SIMD Extensions"), o);
    }

    @Test
    void numpyLinearAlgebraFftAndRandomGiveKnownAnswers() {
        CallResult r = run("numpy_known_answers", "");
        assertEquals(0, r.returnCode(), out() + err());
        for (String check : List.of("det", "inv", "solve", "eigvalsh", "svd", "qr", "matmul", "blas_dgemm", "blas_sgemm", "blas_zgemm",
                "blas_cgemm", "blas_gemv", "blas_syrk", "blas_dot", "fft", "ifft", "rfft", "default_rng", "default_rng_random", "legacy_seed")) {
            assertTrue(out().contains(check + " ok\n"), check + " in\n" + out());
        }
    }

    @Test
    void pyfaasmsDistributedMatrixMultiplicationEqualsTheProduct() {
        CallResult r = run("numpy_matrix", "");
        assertEquals(0, r.returnCode(), out() + err());
        assertTrue(r.outputText().startsWith("equal=True trace="), r.outputText());
        assertTrue(out().contains("Running divide and conquer for 8x8 matrix with 1 splits"), out());
    }

    @Test
    void theSysrootShipsTheModulesWithFreshBytecodeAndTheExtensionArchives() throws Exception {
        Path site = SYSROOT.resolve("runtime_root/lib/python" + Pinned.MAJOR_MINOR + "/site-packages");
        for (String f : List.of("six.py", "pyaes/aes.py", "genshi/template/markup.py", "faasm_cext_demo/__init__.py", "numpy/__init__.py",
                "numpy/linalg/linalg.py", "pyfaasm/matrix.py", "regex/regex.py", "yaml/__init__.py", "msgpack/__init__.py",
                "simplejson/__init__.py", "wrapt/__init__.py", "multidict/__init__.py", "dulwich/repo.py", "pyperf/__init__.py",
                "pyperformance/data-files/benchmarks/bm_richards/run_benchmark.py")) {
            assertTrue(Files.isRegularFile(site.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(site.resolve("__pycache__/six." + Pinned.CACHE_TAG + ".pyc")), "six is precompiled");
        for (String a : List.of("libpyext-genshi._speedups.a", "libpyext-faasm_cext_demo._native.a",
                // NumPy 2 moved numpy.core to numpy._core; pocketfft's extension is numpy.fft._pocketfft_umath
                "libpyext-numpy._core._multiarray_umath.a", "libpyext-numpy.linalg.lapack_lite.a", "libpyext-numpy.linalg._umath_linalg.a",
                "libpyext-numpy.fft._pocketfft_umath.a", "libpyext-numpy.random._generator.a", "libpyext-numpy.random.mtrand.a",
                "libpyext-regex._regex.a", "libpyext-yaml._yaml.a", "libpyext-msgpack._cmsgpack.a", "libpyext-ujson.a",
                "libpyext-simplejson._speedups.a", "libpyext-wrapt._wrappers.a", "libpyext-multidict._multidict.a",
                "libpyext-dulwich._objects.a", "libpyext-dulwich._pack.a", "libpyext-dulwich._diff_tree.a")) {
            assertTrue(Files.isRegularFile(SYSROOT.resolve("llvm-sysroot/lib/wasm32-wasi").resolve(a)), a);
        }
        try (Stream<Path> files = Files.walk(site)) {
            List<Path> nativeLibs = files.filter(p -> p.toString().endsWith(".so")).toList();
            assertEquals(List.of(), nativeLibs, "no shared libraries in site-packages");
        }
    }
}
