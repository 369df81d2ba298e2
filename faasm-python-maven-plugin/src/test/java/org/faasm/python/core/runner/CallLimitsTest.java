package org.faasm.python.core.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.faasm.python.core.util.FileTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits of one call's /tmp and files ({@link CallResources}), state ({@link StateStore}) and memory ({@link MemoryBudget}). */
class CallLimitsTest {
    @TempDir
    Path tmp;

    private final List<String> notices = new ArrayList<>();
    private CallResources call;

    private Path enter(HostLimits limits) {
        call = new CallResources(tmp.resolve("call"), limits, notices::add).enter();
        return call.tmpMount();
    }

    @AfterEach
    void leave() {
        if (call != null) {
            call.close();
        }
    }

    private static FileChannel create(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
    }

    @Test
    void writesPastTmpSizeFailWithEnospcAndADeleteFreesTheirBytes() throws IOException {
        Path guestTmp = enter(HostLimits.DEFAULTS.withTmpSize(1));
        ByteBuffer half = ByteBuffer.allocate(600 << 10);
        try (FileChannel a = create(guestTmp.resolve("a"))) {
            a.write(half.duplicate());
            GuestFileSystem.clearRefusal();
            assertThrows(IOException.class, () -> a.write(half.duplicate()));
            assertEquals(GuestFileSystem.ENOSPC, GuestFileSystem.refusal());
            // a sparse file counts at its size
            try (FileChannel b = create(guestTmp.resolve("b"))) {
                assertThrows(IOException.class, () -> b.write(ByteBuffer.allocate(1), 1L << 40));
            }
        }
        assertTrue(notices.get(0).contains("faasm.tmpSize = 1 MiB"), notices.toString());
        assertEquals(1, notices.size(), "said once per call");
        Files.delete(guestTmp.resolve("a"));
        try (FileChannel c = create(guestTmp.resolve("c"))) {
            c.write(half.duplicate());
        }
    }

    @Test
    void aDeletedFileStillOpenKeepsCounting() throws IOException {
        Path guestTmp = enter(HostLimits.DEFAULTS.withTmpSize(1));
        try (FileChannel a = create(guestTmp.resolve("a"))) {
            a.write(ByteBuffer.allocate(800 << 10));
            Files.delete(guestTmp.resolve("a"));
            try (FileChannel b = create(guestTmp.resolve("b"))) {
                assertThrows(IOException.class, () -> b.write(ByteBuffer.allocate(400 << 10)));
            }
        }
        try (FileChannel b = create(guestTmp.resolve("b"))) {
            b.write(ByteBuffer.allocate(400 << 10));
        }
    }

    @Test
    void opensPastMaxOpenFilesFailWithEmfileUntilOneIsClosed() throws IOException {
        Path guestTmp = enter(HostLimits.DEFAULTS.withMaxOpenFiles(3));
        Files.writeString(guestTmp.resolve("f"), "x");
        List<FileChannel> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(FileChannel.open(guestTmp.resolve("f")));
        }
        GuestFileSystem.clearRefusal();
        assertThrows(IOException.class, () -> FileChannel.open(guestTmp.resolve("f")));
        assertEquals(GuestFileSystem.EMFILE, GuestFileSystem.refusal());
        assertTrue(notices.get(0).contains("faasm.maxOpenFiles = 3"), notices.toString());
        open.remove(0).close();
        try (FileChannel again = FileChannel.open(guestTmp.resolve("f"))) {
            assertEquals(1, again.size());
        }
        for (FileChannel c : open) {
            c.close();
        }
        assertEquals(0, call.openFiles());
    }

    @Test
    void namesPastTheHostPathLimitAreRefusedWithEnametoolong() throws IOException {
        Path guestTmp = enter(HostLimits.DEFAULTS);
        String name = "n".repeat(200);
        Path deep = guestTmp.resolve("a");
        Files.createDirectory(deep);
        while (deep.toString().length() < 3800) {
            deep = deep.resolve(name);
            Files.createDirectory(deep);
        }
        Files.createSymbolicLink(guestTmp.resolve("L"), deep);
        Path through = guestTmp.resolve("L").resolve(name).resolve(name);
        Files.createDirectory(guestTmp.resolve("L").resolve(name));
        GuestFileSystem.clearRefusal();
        assertThrows(IOException.class, () -> Files.createDirectory(through));
        assertEquals(GuestFileSystem.ENAMETOOLONG, GuestFileSystem.refusal());
        assertThrows(IOException.class, () -> Files.writeString(through, "x"));
        assertThrows(IOException.class, () -> Files.createDirectory(guestTmp.resolve("x".repeat(256))));
        // a directory moved under the deep one: its name fits, what it holds would not
        Files.createDirectories(guestTmp.resolve("t").resolve(name).resolve(name).resolve(name));
        GuestFileSystem.clearRefusal();
        assertThrows(IOException.class, () -> Files.move(guestTmp.resolve("t"), guestTmp.resolve("L").resolve("t")));
        assertEquals(GuestFileSystem.ENAMETOOLONG, GuestFileSystem.refusal());
    }

    @Test
    void renameKeepsWorkingWithTheOptionsTheWasiLayerPasses() throws IOException {
        Path guestTmp = enter(HostLimits.DEFAULTS);
        Files.writeString(guestTmp.resolve("a"), "one");
        Files.writeString(guestTmp.resolve("b"), "two");
        // what Endive's path_rename passes; the JDK refuses COPY_ATTRIBUTES with ATOMIC_MOVE
        Files.move(guestTmp.resolve("a"), guestTmp.resolve("b"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.COPY_ATTRIBUTES);
        assertEquals("one", Files.readString(guestTmp.resolve("b")));
        assertFalse(Files.exists(guestTmp.resolve("a")));
    }

    @Test
    void aTreeDeeperThanThePathLimitIsDeleted() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("deep"));
        String name = "d".repeat(200);
        // made with relative mkdir/cd, as a guest could through links: 6,000 bytes deep
        Process p = new ProcessBuilder("bash", "-c", "cd '" + root + "' && for i in $(seq 30); do mkdir " + name + " && cd " + name
                + " && echo x > f && ln -s / link || exit 1; done").inheritIO().start();
        assertEquals(0, p.waitFor());
        FileTrees.deleteRecursively(root);
        assertFalse(Files.exists(root));
        assertTrue(Files.exists(Path.of("/etc")), "links are deleted, never followed");
    }

    @Test
    void stateHeldIsBoundedAndAPushedOrDeletedValueIsReleased() {
        GlobalState.InMemory global = new GlobalState.InMemory();
        StateStore s = new StateStore("python", global, 100);
        s.set("a", new byte[60]);
        StateStore.LimitException e = assertThrows(StateStore.LimitException.class, () -> s.set("b", new byte[60]));
        assertTrue(e.getMessage().contains("with the 60 bytes of key 'b', more than faasm.stateSize = 1 MiB"), e.getMessage());
        s.set("a", new byte[90]);
        s.push("a");
        assertEquals(90, s.heldBytes(), "pushed: released here, held by the in-process tier");
        s.delete("a");
        assertEquals(0, s.heldBytes());
        s.set("b", new byte[100]);
        assertArrayEquals(new byte[100], s.get("b"));
    }

    @Test
    void theMemoryBudgetGrantsWhatIsLeftAndRefusesLessThanTheMinimum() {
        MemoryBudget b = new MemoryBudget(100);
        assertEquals(60, b.reserve(60, 10));
        assertEquals(40, b.reserve(60, 10), "what is left");
        assertEquals(-1, b.reserve(60, 1));
        b.release(50);
        b.force(20);
        assertEquals(70, b.reservedPages());
        assertEquals(100, b.peakPages());
    }

    @Test
    void limitsAreCheckedAndNamed() {
        assertTrue(assertThrows(org.faasm.python.core.FaasmException.class, () -> HostLimits.DEFAULTS.withTmpSize(0)).getMessage()
                .contains("faasm.tmpSize"));
        assertTrue(assertThrows(org.faasm.python.core.FaasmException.class, () -> HostLimits.DEFAULTS.withTotalMemory(-1)).getMessage()
                .contains("faasm.totalMemory"));
        int total = HostLimits.defaultTotalMemoryMiB();
        long half = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 21;
        assertEquals(Math.min(4096, half), total);
    }
}
