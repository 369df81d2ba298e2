package org.faasm.python.core.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.faasm.python.core.FaasmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerPartsTest {
    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void stateFollowsFaasmSemantics() {
        StateStore s = new StateStore("python", new GlobalState.InMemory(), 1L << 30);
        assertEquals(0, s.size("missing"));
        s.set("k", b("0123456789"));
        s.setOffset("k", 10, 2, b("999"));
        assertArrayEquals(b("0199956789"), s.get("k"));
        assertArrayEquals(b("019"), s.getOffset("k", 0, 3));
        assertArrayEquals(b("9567"), s.getOffset("k", 4, 4));
        s.setOffset("new", 6, 4, b("ab"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 'a', 'b'}, s.get("new"));
        assertArrayEquals(new byte[] {'b', 0}, s.getOffset("new", 5, 2));
    }

    @Test
    void pushSendsToTheGlobalTierAndAnotherHostPullsOnFirstRead() {
        GlobalState global = new GlobalState.InMemory();
        StateStore writer = new StateStore("python", global, 1L << 30);
        writer.set("k", b("0123456789"));
        assertNull(global.get("python", "k"), "a write stays local until pushed");
        writer.push("k");
        writer.setOffset("k", 10, 2, b("999"));
        writer.pushPartial("k");
        assertArrayEquals(b("0199956789"), global.get("python", "k"));

        StateStore reader = new StateStore("python", global, 1L << 30);
        assertEquals(10, reader.size("k"));
        global.set("python", "k", b("changed"));
        assertArrayEquals(b("0199956789"), reader.get("k"), "the local copy stays until pulled");
        reader.pull("k");
        assertArrayEquals(b("changed"), reader.get("k"));
        assertNull(global.get("other", "k"), "keys are per user");
    }

    @Test
    void aZygoteSnapshotRoundTripsAndADamagedOneIsExplained() throws Exception {
        byte[] memory = new byte[3 * 65536];
        memory[12345] = 42;
        Path f = tmp.resolve("z/s.zygote");
        new ZygoteSnapshot(memory, new long[][] {{1, 0}, {-7, 3}}).save(f);

        ZygoteSnapshot z = ZygoteSnapshot.load(f, 1L << 30).snapshot();
        assertArrayEquals(memory, z.memory());
        assertEquals(-7, z.globals()[1][0]);
        assertTrue(ZygoteSnapshot.load(f, 65536).problem().contains("bytes of memory"), "larger than the memory limit");

        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 3] ^= 0x55;
        Files.write(f, bytes);
        ZygoteSnapshot.Loaded damaged = ZygoteSnapshot.load(f, 1L << 30);
        assertNull(damaged.snapshot());
        assertTrue(damaged.problem().contains("does not match its sha256"), damaged.problem());
        Files.write(f, java.util.Arrays.copyOf(bytes, 40));
        assertNull(ZygoteSnapshot.load(f, 1L << 30).snapshot());
        assertNull(ZygoteSnapshot.load(tmp.resolve("none"), 1L << 30).problem(), "no file is no problem");
    }

    @Test
    void aReadOnlyMountRefusesEveryChangeAndNothingLeavesIt() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(host.resolve("a.txt"), "original");
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "secret");
        Path root = GuestFileSystem.mount(host, false);
        Path a = root.resolve("a.txt");
        assertEquals("original", Files.readString(a));
        GuestFileSystem.clearRefusal();
        assertThrows(IOException.class, () -> Files.writeString(a, "changed"));
        assertEquals(GuestFileSystem.EROFS, GuestFileSystem.refusal());
        assertThrows(IOException.class, () -> Files.writeString(root.resolve("new.txt"), "x"));
        assertThrows(IOException.class, () -> Files.delete(a));
        assertThrows(IOException.class, () -> Files.createDirectory(root.resolve("d")));
        assertThrows(IOException.class, () -> Files.move(a, root.resolve("b.txt")));
        assertThrows(IOException.class, () -> Files.getFileAttributeView(a, java.nio.file.attribute.BasicFileAttributeView.class)
                .setTimes(null, null, null));
        assertThrows(IOException.class, () -> java.nio.channels.FileChannel.open(a, java.nio.file.StandardOpenOption.APPEND));
        assertEquals("original", Files.readString(host.resolve("a.txt")));
        assertEquals(java.util.List.of("a.txt"), Files.list(root).map(p -> p.getFileName().toString()).toList());
        // a path or link that leaves the mount does not exist
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Files.readString(root.resolve("../outside.txt")));
        Files.createSymbolicLink(host.resolve("link"), outside);
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Files.readString(root.resolve("link").toRealPath()));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Files.readString(root.resolve("link")));
        Files.createSymbolicLink(host.resolve("up"), tmp);
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Files.readString(root.resolve("up/outside.txt")));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Files.list(root.resolve("up")).close());

        Path scratch = GuestFileSystem.mount(Files.createDirectories(tmp.resolve("tmp")), true);
        Files.writeString(scratch.resolve("x"), "ok");
        assertEquals("ok", Files.readString(tmp.resolve("tmp/x")));
        assertThrows(IOException.class, () -> Files.createLink(scratch.resolve("hard"), a), "no link across mounts");
        assertThrows(IOException.class, () -> Files.createSymbolicLink(scratch.resolve("sym"), root.resolve("a.txt")));
        Files.createSymbolicLink(tmp.resolve("tmp/dangling"), tmp.resolve("created-outside.txt"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Files.writeString(scratch.resolve("dangling"), "x"));
        assertFalse(Files.exists(tmp.resolve("created-outside.txt")), "no file made outside the mount through a link");
    }

    @Test
    void stagingRefusesLinksOutOfTheFunctionAndCopiesLinksInside() throws Exception {
        Path fn = Files.createDirectories(tmp.resolve("fn"));
        Files.writeString(fn.resolve("function.py"), "x = 1\n");
        Files.createSymbolicLink(fn.resolve("alias.py"), fn.resolve("function.py"));
        FunctionStaging.copy(fn, tmp.resolve("staged"));
        assertFalse(Files.isSymbolicLink(tmp.resolve("staged/alias.py")));
        assertEquals("x = 1\n", Files.readString(tmp.resolve("staged/alias.py")));

        Files.createSymbolicLink(fn.resolve("escape"), Files.writeString(tmp.resolve("host.txt"), "h"));
        FaasmException e = assertThrows(FaasmException.class, () -> FunctionStaging.copy(fn, tmp.resolve("staged2")));
        assertTrue(e.getMessage().contains("symbolic link escape that points outside"), e.getMessage());
    }

    @Test
    void namesWithPathsAndBadLimitsAreExplained() {
        for (String bad : new String[] {"..", "a/b", "x\\y", "", ".hidden"}) {
            assertThrows(FaasmException.class, () -> FunctionStaging.checkName(bad, "faasm.user", "-Dfaasm.user"), bad);
        }
        FunctionStaging.checkName("hello_world-2.v1", "function name", "x");
        FaasmException e = assertThrows(FaasmException.class, () -> HostLimits.DEFAULTS.withTimeout(0));
        assertTrue(e.getMessage().contains("faasm.timeout") && e.where().contains("<timeout>"), e.getMessage());
        assertThrows(FaasmException.class, () -> HostLimits.DEFAULTS.withMemory(8192));
        assertEquals(512 * 16, HostLimits.DEFAULTS.withMemory(512).memoryPages());
    }

    @Test
    void theRuntimeRootIsKeyedByContentAndAChangedStampedTreeIsRefused() throws Exception {
        Path loose = Files.createDirectories(tmp.resolve("loose/runtime_root/lib"));
        Files.writeString(loose.resolve("a.py"), "one");
        String before = FaasmHost.runtimeRootKey(loose.getParent(), null);
        Files.writeString(loose.resolve("a.py"), "two");
        assertTrue(before.startsWith("files:"));
        assertFalse(before.equals(FaasmHost.runtimeRootKey(loose.getParent(), null)), "a root without a stamp is keyed by its files");

        Path sysroot = tmp.resolve("sysroot");
        org.faasm.python.core.build.KeyedOutput.directory("sysroot", sysroot, new org.faasm.python.core.build.BuildInputs().put("x", "1"))
                .verified().make(org.faasm.python.core.util.Log.NONE, t -> {
                    Files.createDirectories(t.resolve("runtime_root/lib"));
                    Files.writeString(t.resolve("runtime_root/lib/os.py"), "stdlib");
                });
        Files.writeString(sysroot.resolve("runtime_root/lib/os.py"), "tampered");
        Files.writeString(sysroot.resolve("runtime_root/lib/evil.pth"), "import x");
        FaasmException e = assertThrows(FaasmException.class, () -> FaasmHost.runtimeRootKey(sysroot.resolve("runtime_root"), tmp.resolve("fp")));
        assertTrue(e.getMessage().contains("runtime_root/lib/os.py (changed)") && e.getMessage().contains("runtime_root/lib/evil.pth (added)"),
                e.getMessage());
        assertTrue(e.hint().contains("faasm-python:sysroot"), e.hint());
    }

    @Test
    void aStateUrlThatIsNotRedisIsExplained() {
        FaasmException e = assertThrows(FaasmException.class, () -> GlobalState.open("http://localhost:6379"));
        assertTrue(e.getMessage().contains("not a redis://host:port URL"), e.getMessage());
        assertEquals("memory (this run only)", GlobalState.open(null).describe());
    }

    @Test
    void compiledBytecodeIsReadBackOnlyWhenItVerifies() throws Exception {
        CompilerCache cache = new CompilerCache(tmp.resolve("c"));
        cache.putIfAbsent("sha-256:abc", b("classes"));
        assertArrayEquals(b("classes"), cache.get("sha-256:abc"));
        assertNull(cache.get("sha-256:other"));

        Path file;
        try (var s = Files.list(tmp.resolve("c"))) {
            file = s.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);
        assertNull(cache.get("sha-256:abc"), "damaged bytecode is not loaded");

        CompilerCache withShipped = new CompilerCache(tmp.resolve("user"), tmp.resolve("shipped"));
        new CompilerCache(tmp.resolve("shipped")).putIfAbsent("k", b("shipped"));
        assertArrayEquals(b("shipped"), withShipped.get("k"));
    }

    @Test
    void aSingleFileIsStagedAsFunctionPy() throws Exception {
        Path file = Files.writeString(tmp.resolve("hello.py"), "def faasm_main(): pass\n");

        PythonFunction f = PythonFunction.locate(file, tmp.resolve("staging"), "-Dfaasm.function");

        assertEquals("hello", f.name());
        assertEquals("def faasm_main(): pass\n", Files.readString(f.directory().resolve("function.py")));
    }

    @Test
    void aMissingFunctionAndADirectoryWithoutFunctionPyAreExplained() throws Exception {
        FaasmException missing = assertThrows(FaasmException.class,
                () -> PythonFunction.locate(tmp.resolve("nope.py"), tmp, "-Dfaasm.function / <function>"));
        assertTrue(missing.getMessage().contains("does not exist"));
        assertEquals("-Dfaasm.function / <function>", missing.where());

        Files.createDirectories(tmp.resolve("empty"));
        FaasmException noFunction = assertThrows(FaasmException.class, () -> PythonFunction.locate(tmp.resolve("empty"), tmp, "x"));
        assertTrue(noFunction.getMessage().contains("has no function.py"));
    }

    private static byte[] compilerArchive(java.time.LocalDateTime time, String comment) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(buf)) {
            java.util.zip.ZipEntry p = new java.util.zip.ZipEntry("wasm-module.properties");
            p.setTimeLocal(time);
            out.putNextEntry(p);
            out.write(("#\n#" + comment + "\nmainClass=com.example.Machine\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            java.util.zip.ZipEntry c = new java.util.zip.ZipEntry("com/example/Machine.class");
            c.setTimeLocal(time);
            out.putNextEntry(c);
            out.write(new byte[] {(byte) 0xca, (byte) 0xfe, 1, 2, 3});
        }
        return buf.toByteArray();
    }

    @Test
    void twoTranslationsOfOneModuleAreStoredAsTheSameBytes() throws IOException {
        byte[] a = compilerArchive(java.time.LocalDateTime.of(2026, 11, 29, 3, 22), "Sun Nov 29 03:22:08 UTC 2026");
        byte[] b = compilerArchive(java.time.LocalDateTime.of(2026, 11, 29, 3, 25), "Sun Nov 29 03:25:56 UTC 2026");
        assertFalse(java.util.Arrays.equals(a, b));

        byte[] ca = CompilerCache.canonical(a);
        assertArrayEquals(ca, CompilerCache.canonical(b));
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(ca))) {
            assertEquals("wasm-module.properties", in.getNextEntry().getName());
            assertEquals("mainClass=com.example.Machine\n", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals("com/example/Machine.class", in.getNextEntry().getName());
            assertArrayEquals(new byte[] {(byte) 0xca, (byte) 0xfe, 1, 2, 3}, in.readAllBytes());
        }
    }
}
