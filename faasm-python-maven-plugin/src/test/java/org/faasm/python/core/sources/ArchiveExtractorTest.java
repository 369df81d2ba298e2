package org.faasm.python.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.faasm.python.core.TestArchives;
import org.faasm.python.host.FaasmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveExtractorTest {
    @TempDir
    Path tmp;

    @Test
    void extractsAndDropsTheTopLevelDirectoryKeepingExecutableBits() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("Python-3.11.2/configure", "#!/bin/sh\n");
        entries.put("Python-3.11.2/Include/patchlevel.h", "#define PY_VERSION \"3.11.2\"\n");
        entries.put("Python-3.11.2/link", "->Include/patchlevel.h");
        Path archive = TestArchives.tarGz(tmp.resolve("a.tgz"), entries);
        Path out = tmp.resolve("out");

        ArchiveExtractor.extract(archive, out);

        assertTrue(Files.isExecutable(out.resolve("configure")));
        assertEquals("#define PY_VERSION \"3.11.2\"\n", Files.readString(out.resolve("Include/patchlevel.h")));
        assertTrue(Files.isSymbolicLink(out.resolve("link")));
        assertFalse(Files.exists(out.resolve("Python-3.11.2")));
    }

    @Test
    void keepsEveryTopLevelDirectoryWhenAsked() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("runtime_root/lib/python3.11/os.py", "x = 1\n");
        entries.put("wasm/python/py_func/function.wasm", "wasm");
        Path archive = TestArchives.tarGz(tmp.resolve("sysroot.tar.gz"), entries);
        Path out = tmp.resolve("sysroot");

        ArchiveExtractor.extract(archive, out, false);

        assertEquals("x = 1\n", Files.readString(out.resolve("runtime_root/lib/python3.11/os.py")));
        assertEquals("wasm", Files.readString(out.resolve("wasm/python/py_func/function.wasm")));
    }

    @Test
    void rejectsAnEntryThatClimbsOutOfTheTarget() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("top/ok.txt", "fine");
        entries.put("top/../../evil.txt", "escaped");
        Path archive = TestArchives.tarGz(tmp.resolve("slip.tgz"), entries);
        Path out = tmp.resolve("x/out");

        FaasmException e = assertThrows(FaasmException.class, () -> ArchiveExtractor.extract(archive, out));

        assertTrue(e.getMessage().contains("outside the target"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        assertFalse(Files.exists(tmp.resolve("x/evil.txt")));
        assertFalse(Files.exists(out), "nothing half-extracted is left in place");
    }

    @Test
    void rejectsASymlinkPointingOutside() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("top/passwd", "->/etc/passwd");
        Path archive = TestArchives.tarGz(tmp.resolve("link.tgz"), entries);

        FaasmException e = assertThrows(FaasmException.class, () -> ArchiveExtractor.extract(archive, tmp.resolve("out")));

        assertTrue(e.getMessage().contains("/etc/passwd"), e.getMessage());
    }

    @Test
    void reportsATruncatedArchiveAndLeavesNothingBehind() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("top/big.txt", "x".repeat(200_000) + Math.random());
        Path archive = TestArchives.tarGz(tmp.resolve("big.tgz"), entries);
        byte[] bytes = Files.readAllBytes(archive);
        Path truncated = Files.write(tmp.resolve("truncated.tgz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path out = tmp.resolve("out");

        FaasmException e = assertThrows(FaasmException.class, () -> ArchiveExtractor.extract(truncated, out));

        assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
        assertFalse(Files.exists(out));
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary directory left");
        }
    }
}
