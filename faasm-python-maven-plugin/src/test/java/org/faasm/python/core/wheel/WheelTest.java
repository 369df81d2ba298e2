package org.faasm.python.core.wheel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.faasm.python.host.FaasmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelTest {
    @TempDir
    Path tmp;

    private Path sources() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("pyfaasm/__pycache__"));
        Files.writeString(src.resolve("pyfaasm/__init__.py"), "from pyfaasm.core import x\n");
        Files.writeString(src.resolve("pyfaasm/core.py"), "x = 1\n");
        Files.writeString(src.resolve("pyfaasm/__pycache__/core.cpython-311.pyc"), "stale");
        return src;
    }

    private Path zip(String name, String... entries) throws Exception {
        Path z = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(z); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < entries.length; i += 2) {
                zip.putNextEntry(new ZipEntry(entries[i]));
                zip.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return z;
    }

    @Test
    void aWheelIsReproducibleAndInstallsItsPackageAndMetadata() throws Exception {
        Path src = sources();
        Path a = WheelBuilder.build(src, List.of("pyfaasm"), "pyfaasm", "0.1.0", "Faasm", tmp.resolve("a"), 315_532_800_000L);
        Path b = WheelBuilder.build(src, List.of("pyfaasm"), "pyfaasm", "0.1.0", "Faasm", tmp.resolve("b"), 315_532_800_000L);

        assertEquals("pyfaasm-0.1.0-py3-none-any.whl", a.getFileName().toString());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));

        Path site = tmp.resolve("site-packages");
        List<String> top = WheelInstaller.install(a, site);

        assertEquals(List.of("pyfaasm", "pyfaasm-0.1.0.dist-info"), top.stream().sorted().toList());
        assertEquals("x = 1\n", Files.readString(site.resolve("pyfaasm/core.py")));
        assertFalse(Files.exists(site.resolve("pyfaasm/__pycache__")), "no host bytecode in the wheel");
        String record = Files.readString(site.resolve("pyfaasm-0.1.0.dist-info/RECORD"));
        assertTrue(record.contains("pyfaasm/core.py,sha256="), record);
        assertTrue(Files.readString(site.resolve("pyfaasm-0.1.0.dist-info/WHEEL")).contains("Tag: py3-none-any"));
    }

    @Test
    void aSnapshotVersionIsRejectedWithAHint() throws Exception {
        FaasmException e = assertThrows(FaasmException.class,
                () -> WheelBuilder.build(sources(), List.of("pyfaasm"), "pyfaasm", "0.1.0-SNAPSHOT", "", tmp, 0));
        assertTrue(e.getMessage().contains("PEP 440"), e.getMessage());
    }

    @Test
    void aWheelForAnotherPlatformIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path wheel = zip("numpy-1.0-cp311-cp311-linux_x86_64.whl", "numpy/__init__.py", "", "numpy-1.0.dist-info/WHEEL",
                "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp311-cp311-linux_x86_64\n");
        Path site = tmp.resolve("site");

        FaasmException e = assertThrows(FaasmException.class, () -> WheelInstaller.install(wheel, site));

        assertTrue(e.getMessage().contains("built for another platform (Tag: cp311-cp311-linux_x86_64)"), e.getMessage());
        assertFalse(Files.exists(site.resolve("numpy")));
    }

    @Test
    void aNativeLibraryIsNamed() throws Exception {
        Path wheel = zip("x-1.0-py3-none-any.whl", "x/_speedups.cpython-311-x86_64-linux-gnu.so", "ELF", "x-1.0.dist-info/WHEEL",
                "Tag: py3-none-any\n");

        FaasmException e = assertThrows(FaasmException.class, () -> WheelInstaller.install(wheel, tmp.resolve("site")));

        assertTrue(e.getMessage().contains("x/_speedups.cpython-311-x86_64-linux-gnu.so"), e.getMessage());
    }

    @Test
    void anEntryOutsideSitePackagesIsRefused() throws Exception {
        Path wheel = zip("evil-1.0-py3-none-any.whl", "../../evil.py", "x", "evil-1.0.dist-info/WHEEL", "Tag: py3-none-any\n");

        FaasmException e = assertThrows(FaasmException.class, () -> WheelInstaller.install(wheel, tmp.resolve("a/site")));

        assertTrue(e.getMessage().contains("outside site-packages"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("evil.py")));
    }
}
