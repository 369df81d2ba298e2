package org.faasm.python.host.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.faasm.python.host.FaasmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zygote snapshots: their file, and the runtime root's key by content. */
class ZygoteSnapshotTest {
    @TempDir
    Path tmp;

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
    void theRuntimeRootIsKeyedByContentAndAChangedStampedTreeIsRefused() throws Exception {
        Path loose = Files.createDirectories(tmp.resolve("loose/runtime_root/lib"));
        Files.writeString(loose.resolve("a.py"), "one");
        String before = ZygoteSnapshot.runtimeRootKey(loose.getParent(), null);
        Files.writeString(loose.resolve("a.py"), "two");
        assertTrue(before.startsWith("files:"));
        assertFalse(before.equals(ZygoteSnapshot.runtimeRootKey(loose.getParent(), null)), "a root without a stamp is keyed by its files");

        Path sysroot = tmp.resolve("sysroot");
        org.faasm.python.host.keyed.KeyedOutput.directory("sysroot", sysroot, new org.faasm.python.host.keyed.BuildInputs().put("x", "1"))
                .verified().make(org.faasm.python.host.util.Log.NONE, t -> {
                    Files.createDirectories(t.resolve("runtime_root/lib"));
                    Files.writeString(t.resolve("runtime_root/lib/os.py"), "stdlib");
                });
        Files.writeString(sysroot.resolve("runtime_root/lib/os.py"), "tampered");
        Files.writeString(sysroot.resolve("runtime_root/lib/evil.pth"), "import x");
        FaasmException e = assertThrows(FaasmException.class, () -> ZygoteSnapshot.runtimeRootKey(sysroot.resolve("runtime_root"), tmp.resolve("fp")));
        assertTrue(e.getMessage().contains("runtime_root/lib/os.py (changed)") && e.getMessage().contains("runtime_root/lib/evil.pth (added)"),
                e.getMessage());
        assertTrue(e.hint().contains("faasm-python:sysroot"), e.hint());
    }
}
