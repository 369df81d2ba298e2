package org.faasm.python.host.wasi;

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
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guest's mounts: read-only, confined, and each call's /tmp and files within its limits ({@link CallResources}). */
class GuestFileSystemTest {
    @TempDir
    Path tmp;

    private final List<String> notices = new ArrayList<>();
    private CallResources call;

    private Path enter(HostLimits limits) {
        Path dir = tmp.resolve("call");
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        call = new CallResources(dir, GuestFileSystem.mount(dir, true), limits, notices::add, (d, m) -> false).enter();
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
    void settingTheTimesOfAMissingFileInAWritableMountIsEnoent() throws Exception {
        Path root = GuestFileSystem.mount(Files.createDirectories(tmp.resolve("rw")), true);
        java.nio.file.attribute.FileTime t = java.nio.file.attribute.FileTime.fromMillis(1000);
        GuestFileSystem.clearRefusal();
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Files.getFileAttributeView(root.resolve("missing"),
                java.nio.file.attribute.BasicFileAttributeView.class).setTimes(t, t, null));
        assertEquals(GuestFileSystem.ENOENT, GuestFileSystem.refusal(), "os.utime of a missing file is FileNotFoundError");
        Path a = Files.writeString(root.resolve("a.txt"), "x");
        Files.getFileAttributeView(a, java.nio.file.attribute.BasicFileAttributeView.class).setTimes(t, t, null);
        assertEquals(t, Files.getLastModifiedTime(a));
    }

    @Test
    void aPathThroughARegularFileInAWritableMountIsEnotdir() throws Exception {
        Path root = GuestFileSystem.mount(Files.createDirectories(tmp.resolve("rw2")), true);
        Files.writeString(root.resolve("file"), "x");
        for (org.junit.jupiter.api.function.Executable e : List.<org.junit.jupiter.api.function.Executable>of(
                () -> create(root.resolve("file/new")).close(),
                () -> Files.createDirectory(root.resolve("file/dir")),
                () -> Files.readAttributes(root.resolve("file/x"), java.nio.file.attribute.BasicFileAttributes.class))) {
            GuestFileSystem.clearRefusal();
            assertThrows(IOException.class, e);
            assertEquals(GuestFileSystem.ENOTDIR, GuestFileSystem.refusal(), "open(\"file/x\") is NotADirectoryError");
        }
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
        assertTrue(notices.get(0).contains("tmpSize = 1 MiB"), notices.toString());
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
        assertTrue(notices.get(0).contains("maxOpenFiles = 3"), notices.toString());
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
}
