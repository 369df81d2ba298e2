package org.faasm.python.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterministicTarTest {
    @TempDir
    Path tmp;

    @Test
    void theSameTreeGivesTheSameBytesWhateverTheFileTimes() throws Exception {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("lib/python3.13/json"));
        Files.writeString(tree.resolve("lib/python3.13/json/__init__.py"), "x = 1\n");
        Files.writeString(tree.resolve("lib/python3.13/os.py"), "y = 2\n");

        Path a = tmp.resolve("a.tar.gz");
        new DeterministicTar(1_700_000_000_000L).addTree("runtime_root", tree).write(a);
        Files.setLastModifiedTime(tree.resolve("lib/python3.13/os.py"), FileTime.fromMillis(42));
        Path b = tmp.resolve("b.tar.gz");
        new DeterministicTar(1_700_000_000_000L).addTree("runtime_root", tree).write(b);

        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void entriesAreSortedWithDirectoriesAndFixedMetadata() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "data");
        Path out = tmp.resolve("x.tar.gz");
        new DeterministicTar(1_000L).add("b/z.txt", f).add("a/y.txt", f).write(out);

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(Files.newInputStream(out))))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                assertEquals(0, e.getLongUserId());
                assertEquals(1_000L, e.getModTime().getTime());
            }
        }
        assertEquals(List.of("a/", "a/y.txt", "b/", "b/z.txt"), names);
    }
}
