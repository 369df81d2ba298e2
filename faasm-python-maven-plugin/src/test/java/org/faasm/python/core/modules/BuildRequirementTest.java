package org.faasm.python.core.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.faasm.python.core.sources.ArchivePin;
import org.faasm.python.host.FaasmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildRequirementTest {
    private static final String SHA = "a".repeat(64);
    private static final ArchivePin SDIST = new ArchivePin("requirement", "numpy-2.1.3.tar.gz", SHA, List.of(), null);
    private static final ArchivePin DEB = new ArchivePin("requirement", "cython3_3.1.6+dfsg-4_amd64.deb", SHA, List.of(), null);

    @Test
    void anSdistIsATestRequirementBuiltForTheBuildPython() {
        ModuleSpec.BuildRequirement cython = ModuleSpec.BuildRequirement.of("cython", "3.1.6", DEB, "x", "pom.xml");
        ModuleSpec.BuildRequirement numpy = ModuleSpec.BuildRequirement.of("numpy", "2.1.3", SDIST, List.of(), List.of(cython),
                Map.of("setup-args", "-Dblas=none"), true, "the Python tests", "pom.xml");

        assertTrue(numpy.fromSource());
        assertEquals(List.of(cython), numpy.buildRequirements());
    }

    @Test
    void anSdistIsRefusedWhereItWouldNotBeBuilt() {
        FaasmException e = assertThrows(FaasmException.class,
                () -> ModuleSpec.BuildRequirement.of("numpy", "2.1.3", SDIST, "module foo", "pom.xml"));

        assertTrue(e.getMessage().contains("only Debian binary packages (.deb) and wheels (.whl)"), e.getMessage());
    }

    @Test
    void buildSettingsOfAPackageThatIsNotBuiltAreRefused() {
        FaasmException e = assertThrows(FaasmException.class, () -> ModuleSpec.BuildRequirement.of("cython", "3.1.6", DEB, List.of(), List.of(),
                Map.of("setup-args", "-Dx"), true, "the Python tests", "pom.xml"));

        assertTrue(e.getMessage().contains("only an sdist built for the build python uses"), e.getMessage());
    }

    @Test
    void aNativeWheelIsUnpackedWithItsExtensionsButNothingOutsideItsDirectory(@TempDir Path tmp) throws Exception {
        Path wheel = tmp.resolve("w.whl");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(wheel))) {
            z.putNextEntry(new ZipEntry("numpy/_core/_multiarray_umath.cpython-313-x86_64-linux-gnu.so"));
            z.write(new byte[] {0x7f, 'E', 'L', 'F'});
            z.putNextEntry(new ZipEntry("numpy-2.1.3.dist-info/WHEEL"));
            z.write("Tag: cp313-cp313-linux_x86_64\n".getBytes());
        }
        NativeWheelBuild.unzip(wheel, tmp.resolve("site"));
        assertTrue(Files.isRegularFile(tmp.resolve("site/numpy/_core/_multiarray_umath.cpython-313-x86_64-linux-gnu.so")));

        Path evil = tmp.resolve("evil.whl");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(evil))) {
            z.putNextEntry(new ZipEntry("../outside.py"));
        }
        FaasmException e = assertThrows(FaasmException.class, () -> NativeWheelBuild.unzip(evil, tmp.resolve("site2")));
        assertTrue(e.getMessage().contains("outside its directory"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("outside.py")));
    }

    @Test
    void aWheelsRecordGetsTheDigestOfAFileWhoseBuildPathsWereReplaced(@TempDir Path site) throws Exception {
        Files.createDirectories(site.resolve("numpy-2.1.3.dist-info"));
        Files.createDirectories(site.resolve("numpy"));
        Files.writeString(site.resolve("numpy/__config__.py"), "path = '/faasm/src/module'\n");
        Files.writeString(site.resolve("numpy/__init__.py"), "x = 1\n");
        Files.writeString(site.resolve("numpy-2.1.3.dist-info/RECORD"),
                "numpy/__config__.py,sha256=OLD,99\nnumpy/__init__.py,sha256=KEEP,6\nnumpy-2.1.3.dist-info/RECORD,,\n");

        ModuleBuilder.updateRecords(site, List.of("numpy/__config__.py"));

        // sha256 of "path = '/faasm/src/module'\n", urlsafe base64 without padding, as pip writes it
        String digest = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(site.resolve("numpy/__config__.py"))));
        assertEquals("numpy/__config__.py,sha256=" + digest + ",27\nnumpy/__init__.py,sha256=KEEP,6\nnumpy-2.1.3.dist-info/RECORD,,\n",
                Files.readString(site.resolve("numpy-2.1.3.dist-info/RECORD")));
    }
}
