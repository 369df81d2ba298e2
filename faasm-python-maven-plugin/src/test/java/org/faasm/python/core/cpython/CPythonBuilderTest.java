package org.faasm.python.core.cpython;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.faasm.python.core.build.PathMaps;
import org.faasm.python.core.sources.BundledPins;
import org.faasm.python.core.sources.SourcePin;
import org.faasm.python.host.FaasmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CPythonBuilderTest {
    @TempDir
    Path tmp;

    @Test
    void aBuildDirectoryWithSpacesIsRefusedBeforeConfigureRuns() {
        FaasmException e = assertThrows(FaasmException.class,
                () -> CPythonBuilder.requireBuildablePath(Path.of("/home/me/My Projects/faasm/target/faasm-python")));
        assertTrue(e.describe().contains("white space") && e.describe().contains("My Projects"), e.describe());
        CPythonBuilder.requireBuildablePath(Path.of("/home/me/projects/faasm/target/faasm-python"));
    }

    @Test
    void aPinnedSourceIsKeyedByEveryArchiveItAcceptsNotTheOneThisMachineGot() throws Exception {
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        Path one = Files.writeString(tmp.resolve("one.properties"), "name=zlib\nversion=1\narchives=up,deb\narchive.up.file=z.tgz\n"
                + "archive.up.sha256=" + a + "\narchive.deb.file=z.tar.bz2\narchive.deb.sha256=" + b + "\n");
        Path other = Files.writeString(tmp.resolve("other.properties"), "name=zlib\nversion=1\narchives=deb,up\narchive.up.file=z.tgz\n"
                + "archive.up.sha256=" + a + "\narchive.deb.file=z.tar.bz2\narchive.deb.sha256=" + b + "\n");
        assertEquals(CPythonBuilder.pinId(SourcePin.load(one)), CPythonBuilder.pinId(SourcePin.load(other)));
        assertEquals("pin:sha256:" + a + ",sha256:" + b, CPythonBuilder.pinId(SourcePin.load(one)));
    }

    @Test
    void thePinsBundledInThePluginKeyTheBuildAsThirdPartysPinsDo() {
        BundledPins bundled = new BundledPins(tmp.resolve("pins"));
        for (String name : List.of("cpython", "zlib")) {
            SourcePin fromJar = bundled.load(name);
            SourcePin fromCheckout = SourcePin.load(Path.of("../third-party", name, "pin.properties"));

            assertEquals(CPythonBuilder.sourceId(fromCheckout), CPythonBuilder.sourceId(fromJar), name);
            assertEquals(fromCheckout.archives(), fromJar.archives(), name);
        }
    }

    @Test
    void aPatchedPinKeysTheSameWhereverItsFilesLive() throws Exception {
        for (String dir : List.of("checkout/third-party/demo", "cache/pins/demo/0123")) {
            Path d = Files.createDirectories(tmp.resolve(dir));
            Files.writeString(d.resolve("pin.properties"), "name=demo\nversion=1\narchive.a.file=d.tgz\narchive.a.sha256=" + "a".repeat(64)
                    + "\npatches=fix.patch\n");
            Files.writeString(d.resolve("fix.patch"), "--- a/x\n+++ b/x\n");
        }

        String one = CPythonBuilder.sourceId(SourcePin.load(tmp.resolve("checkout/third-party/demo/pin.properties")));
        String other = CPythonBuilder.sourceId(SourcePin.load(tmp.resolve("cache/pins/demo/0123/pin.properties")));

        assertEquals(one, other);
        assertTrue(one.contains("+patch:fix.patch@"), one);
    }

    @Test
    void buildPathsInInstalledTextFilesGetFixedNamesAndTheirStaleBytecodeGoes() throws Exception {
        Path root = tmp.resolve("tree");
        Path lib = Files.createDirectories(root.resolve("lib/python3.13/__pycache__"));
        Path work = tmp.resolve("checkout/target/faasm-python");
        Files.writeString(root.resolve("lib/python3.13/_sysconfigdata__wasi_wasm32-wasi.py"),
                "build_time_vars = {'srcdir': '" + work.resolve("src/cpython") + "', 'CONFIG_ARGS': '--with-build-python=/c/native/bin/python3'}\n");
        Files.writeString(lib.resolve("_sysconfigdata__wasi_wasm32-wasi.cpython-311.pyc"), "stale");
        Files.writeString(lib.resolve("os.cpython-311.pyc"), "kept");
        Files.write(root.resolve("lib/libz.a"), ("!<arch>\n" + work).getBytes());

        int changed = CPythonBuilder.scrubBuildPaths(root, PathMaps.of(work.resolve("src/cpython"), PathMaps.CPYTHON_SOURCE,
                Path.of("/c/native"), PathMaps.NATIVE_PYTHON));

        assertEquals(1, changed);
        assertEquals("build_time_vars = {'srcdir': '/faasm/src/cpython', 'CONFIG_ARGS': '--with-build-python=/faasm/native-python/bin/python3'}\n",
                Files.readString(root.resolve("lib/python3.13/_sysconfigdata__wasi_wasm32-wasi.py")));
        assertEquals(java.util.List.of("os.cpython-311.pyc"), java.util.List.of(lib.toFile().list()));
        assertTrue(Files.readString(root.resolve("lib/libz.a")).contains(work.toString()), "archives are left to -ffile-prefix-map");
    }
}
