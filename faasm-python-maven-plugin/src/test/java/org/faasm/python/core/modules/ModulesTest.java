package org.faasm.python.core.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.faasm.python.core.build.BuildCache;
import org.faasm.python.core.cpython.CPythonBuilder.WasmOutputs;
import org.faasm.python.core.sources.ArchivePin;
import org.faasm.python.core.sources.Downloader;
import org.faasm.python.core.sources.SourceCache;
import org.faasm.python.core.sources.SourceResolver;
import org.faasm.python.core.toolchain.Toolchain;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModulesTest {
    private static final String WHERE = "modules-module/pom.xml <pythonModules>";

    @TempDir
    Path tmp;

    private static ModuleSpec directory(String name, boolean experimental) {
        return new ModuleSpec(name, "1.0", "a module", experimental, Path.of("/src/" + name), null, null, null, null, null, null, null,
                null, null, WHERE);
    }

    private static ModuleSpec archive(String name, Path file, String sha256) {
        return new ModuleSpec(name, "1.0", null, false, null, file, null, sha256, null, null, null, null, null, null, WHERE);
    }

    private ModuleBuilder builder(boolean offline) {
        SourceResolver resolver = new SourceResolver(new SourceCache(tmp.resolve("cache"), Log.NONE), new Downloader(Log.NONE), offline,
                Log.NONE);
        return new ModuleBuilder(null, new BuildCache(tmp.resolve("builds"), Log.NONE), null, Path.of("/no/python3"), resolver, offline, Log.NONE);
    }

    private ModuleSet set() {
        return new ModuleSet(List.of(directory("six", false), directory("pyaes", false), directory("Genshi", false),
                directory("numpy", true)), WHERE);
    }

    @Test
    void anUnknownModuleNameIsAnErrorListingTheSupportedOnes() {
        FaasmException e = assertThrows(FaasmException.class, () -> set().select(List.of("six,panda"), false, "-Dfaasm.modules"));
        assertTrue(e.getMessage().contains("Unknown module panda"), e.getMessage());
        assertTrue(e.getMessage().contains("Supported modules: six, pyaes, Genshi; experimental: numpy"), e.getMessage());
        assertEquals("-Dfaasm.modules", e.where());
    }

    @Test
    void theDefaultSelectionIsTheSupportedSetAndNamesAreNormalised() {
        assertEquals(List.of("six", "pyaes", "Genshi"), set().select(null, false, "x").stream().map(ModuleSpec::name).toList());
        assertEquals(List.of("six", "pyaes", "Genshi", "numpy"), set().select(List.of(), true, "x").stream().map(ModuleSpec::name).toList());
        assertEquals(List.of("Genshi", "numpy"), set().select(List.of("NumPy", "genshi"), false, "x").stream().map(ModuleSpec::name).toList());
        List<String> listing = set().describe();
        assertTrue(listing.get(0).startsWith("Supported modules"), listing.toString());
        assertTrue(String.join("\n", listing).matches("(?s).*Experimental modules.*numpy.*"), listing.toString());
    }

    @Test
    void aModuleNeedsExactlyOneSourceAndArchivesNeedAPin() {
        FaasmException none = assertThrows(FaasmException.class,
                () -> new ModuleSpec("x", null, null, false, null, null, null, null, null, null, null, null, null, null, WHERE));
        assertTrue(none.getMessage().contains("exactly one source"), none.getMessage());
        FaasmException two = assertThrows(FaasmException.class,
                () -> new ModuleSpec("x", null, null, false, Path.of("/d"), null, null, null, null, null, "x==1", null, null, null, WHERE));
        assertTrue(two.getMessage().contains("it has 2"), two.getMessage());
        FaasmException unpinned = assertThrows(FaasmException.class, () -> archive("x", Path.of("/x.tar.gz"), null));
        assertTrue(unpinned.getMessage().contains("without a <sha256> pin"), unpinned.getMessage());
        assertThrows(FaasmException.class, () -> archive("x", Path.of("/x.tar.gz"), "abc"));
        assertThrows(FaasmException.class, () -> new ModuleSet(List.of(directory("six", false), directory("SIX", true)), WHERE));
        FaasmException badName = assertThrows(FaasmException.class, () -> directory("../escape", false));
        assertTrue(badName.getMessage().contains("is not a package name"), badName.getMessage());
    }

    @Test
    void theExtensionTableRegistersEachExtensionByItsFullName() {
        String c = ExtensionTable.generate(Map.of("genshi._speedups", "a", "faasm_cext_demo._native", "b", "toplevel", "c"));
        assertTrue(c.contains("PyMODINIT_FUNC PyInit__speedups(void);"), c);
        assertTrue(c.contains("{\"genshi._speedups\", PyInit__speedups},"), c);
        assertTrue(c.contains("{\"toplevel\", PyInit_toplevel},"), c);
        assertTrue(c.indexOf("faasm_cext_demo._native") < c.indexOf("genshi._speedups"), "sorted: " + c);
        assertTrue(c.contains("{NULL, NULL}"), c);
        assertTrue(ExtensionTable.generate(Map.of()).contains("faasm_static_extensions[] = {\n    {NULL, NULL}"));
        FaasmException clash = assertThrows(FaasmException.class,
                () -> ExtensionTable.generate(Map.of("a._speedups", "x", "b._speedups", "y")));
        assertTrue(clash.getMessage().contains("both define PyInit__speedups"), clash.getMessage());
        assertThrows(FaasmException.class, () -> ExtensionTable.generate(Map.of("bad-name", "x")));
    }

    @Test
    void anArchiveWithTheWrongChecksumIsRefusedBeforeAnythingIsBuilt() throws IOException {
        Path sdist = tmp.resolve("pyaes-1.6.1.tar.gz");
        Files.writeString(sdist, "not the release");
        ModuleSpec spec = archive("pyaes", sdist, "2de6150553b59b212c1512a7b3a3a2d4c6432839a75d64c791e028af64ef3e23");
        Path work = tmp.resolve("work");
        FaasmException e = assertThrows(FaasmException.class, () -> builder(false).install(spec, null, work, tmp.resolve("log")));
        assertTrue(e.getMessage().contains("Checksum mismatch for " + sdist), e.getMessage());
        assertTrue(e.getMessage().contains("actual sha256   " + Digests.sha256(sdist)), e.getMessage());
        assertTrue(e.where().contains("module pyaes") && e.where().contains(WHERE), e.where());
        assertFalse(Files.exists(work.resolve("src")), "nothing extracted");
        assertFalse(Files.exists(tmp.resolve("cache/sha256")) && FileTrees.listFiles(tmp.resolve("cache")).stream()
                .anyMatch(f -> f.endsWith(".tar.gz")), "nothing cached");
    }

    @Test
    void aWheelBuiltForAnotherPlatformIsRefused() throws IOException {
        Path wheel = tmp.resolve("fastthing-1.0-cp311-cp311-manylinux_2_17_x86_64.whl");
        writeZip(wheel, Map.of("fastthing/__init__.py", "", "fastthing-1.0.dist-info/WHEEL", "Tag: cp311-cp311-manylinux_2_17_x86_64\n"));
        ModuleSpec spec = archive("fastthing", wheel, Digests.sha256(wheel));
        Path work = tmp.resolve("work");
        FaasmException e = assertThrows(FaasmException.class, () -> builder(false).install(spec, null, work, tmp.resolve("log")));
        assertTrue(e.getMessage().contains("built for another platform (manylinux_2_17_x86_64)"), e.getMessage());
        assertTrue(e.hint().contains("sdist"), e.hint());
        assertEquals(List.of(), FileTrees.listFiles(work.resolve("root/site-packages")));
    }

    @Test
    void aPureWheelInstalls() throws IOException {
        Path wheel = tmp.resolve("purething-1.0-py3-none-any.whl");
        writeZip(wheel, Map.of("purething/__init__.py", "X = 1\n", "purething-1.0.dist-info/WHEEL", "Tag: py3-none-any\n"));
        Path site = builder(false).install(archive("purething", wheel, Digests.sha256(wheel)), null, tmp.resolve("work"), tmp.resolve("log"));
        assertEquals("X = 1\n", Files.readString(site.resolve("purething/__init__.py")));
    }

    @Test
    void aDebianPackageOfAPureModuleInstallsItsDistPackages() throws IOException {
        Path deb = tmp.resolve("python3-six_1.16.0-4_all.deb");
        writeDeb(deb, Map.of("./usr/lib/python3/dist-packages/six.py", "__version__ = '1.16.0'\n",
                "./usr/share/doc/python3-six/copyright", "MIT\n"));
        Path site = builder(true).install(archive("six", deb, Digests.sha256(deb)), null, tmp.resolve("work"), tmp.resolve("log"));
        assertEquals(List.of("six.py"), FileTrees.listFiles(site));
    }

    @Test
    void aCorruptDebianPackageIsReportedAsSuch() throws IOException {
        Path deb = tmp.resolve("broken_1.0_all.deb");
        Files.writeString(deb, "!<arch>\nthis is not a package");
        FaasmException e = assertThrows(FaasmException.class,
                () -> builder(true).install(archive("broken", deb, Digests.sha256(deb)), null, tmp.resolve("work"), tmp.resolve("log")));
        assertTrue(e.getMessage().contains("is corrupt or truncated"), e.getMessage());
    }

    @Test
    void aPipRequirementNeedsTheNetwork() {
        ModuleSpec spec = new ModuleSpec("numpy", null, null, true, null, null, null, null, null, null, "numpy==1.26.4", null, null, null,
                WHERE);
        FaasmException e = assertThrows(FaasmException.class,
                () -> builder(true).install(spec, null, tmp.resolve("work"), tmp.resolve("log")));
        assertTrue(e.getMessage().contains("Maven is offline"), e.getMessage());
        assertTrue(e.hint().contains("pin the release archive"), e.hint());
    }

    @Test
    void hostBinariesAreRecognised() {
        assertEquals("ELF", ModuleBuilder.hostBinaryKind("pkg/_c.cpython-311-x86_64-linux-gnu.so", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}));
        assertEquals("Mach-O", ModuleBuilder.hostBinaryKind("pkg/_c.so", new byte[] {(byte) 0xcf, (byte) 0xfa, (byte) 0xed, (byte) 0xfe}));
        assertEquals("PE", ModuleBuilder.hostBinaryKind("pkg/_c.pyd", new byte[] {'M', 'Z', 0, 0}));
        assertEquals("native library", ModuleBuilder.hostBinaryKind("pkg/libfoo.so.1", "garbage!".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(null, ModuleBuilder.hostBinaryKind("pkg/__init__.py", "import os".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aFileBuiltForTheHostNeverReachesTheBundle() throws IOException {
        Path site = tmp.resolve("site");
        Files.createDirectories(site.resolve("fast"));
        Files.writeString(site.resolve("fast/__init__.py"), "");
        Files.write(site.resolve("fast/_c.cpython-311-x86_64-linux-gnu.so"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
        Path bundle = tmp.resolve("bundle");
        FaasmException e = assertThrows(FaasmException.class, () -> builder(true).collect(directory("fast", false), site,
                new TestCross().env, bundle, new HashMap<>(), new HashMap<>()));
        assertTrue(e.getMessage().contains("built for the host (ELF)"), e.getMessage());
        assertTrue(e.getMessage().contains("fast/_c.cpython-311-x86_64-linux-gnu.so"), e.getMessage());
    }

    @Test
    void anExtensionArchiveOfHostObjectsIsRefused() throws IOException {
        Path site = tmp.resolve("site");
        Files.createDirectories(site.resolve("fast"));
        Path ext = site.resolve("fast/_c.cpython-311-wasm32-wasi.so");
        try (OutputStream out = Files.newOutputStream(ext); ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
            byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
            ar.putArchiveEntry(new ArArchiveEntry("_c.o", elf.length));
            ar.write(elf);
            ar.closeArchiveEntry();
        }
        FaasmException e = assertThrows(FaasmException.class, () -> builder(true).collect(directory("fast", false), site,
                new TestCross().env, tmp.resolve("bundle"), new HashMap<>(), new HashMap<>()));
        assertTrue(e.getMessage().contains("holds _c.o, which is not a wasm object"), e.getMessage());
    }

    @Test
    void aCompileErrorNamesTheFailingFileAndTheLog() throws IOException {
        Path log = tmp.resolve("module-needs-fork.log");
        Files.writeString(log, "running build_ext\nbuilding 'needs_fork._native' extension\n"
                + "needs_fork/_native.c:7:12: error: call to undeclared function 'fork'; ISO C99 and later do not support implicit "
                + "function declarations [-Wimplicit-function-declaration]\n1 error generated.\n");
        FaasmException e = ModuleBuilder.diagnose(directory("needs-fork", false), Path.of("/w/src"), log,
                new FaasmException("Step failed", log.toString(), "x"));
        assertTrue(e.getMessage().contains("does not compile for wasm32-wasi: /w/src/needs_fork/_native.c:7: error: call to undeclared "
                + "function 'fork'"), e.getMessage());
        assertEquals(log.toString(), e.where());
        assertTrue(e.hint().contains("WASI lacks") && e.hint().contains(log.toString()), e.hint());
    }

    @Test
    void aConfigureScriptThatMustRunWhatItCompilesIsNamedAsSuch() throws IOException {
        // gevent 25.9.1 runs its bundled libev's configure, which is not cross-aware
        Path log = tmp.resolve("module-gevent.log");
        Files.writeString(log, "running build_ext\nchecking whether we are cross compiling... no\n"
                + "configure: error: in `/w/src/deps/libev':\nconfigure: error: cannot run C compiled programs.\n"
                + "subprocess.CalledProcessError: Command '(cd  \"/w/src/deps/libev\"  && sh ./configure -C)' returned non-zero exit status 1.\n");
        FaasmException e = ModuleBuilder.diagnose(directory("gevent", false), Path.of("/w/src"), log, new FaasmException("Step failed", "", "x"));
        assertTrue(e.getMessage().contains("Module gevent runs a configure script that must run the programs it compiles")
                && e.getMessage().contains("cannot run C compiled programs"), e.getMessage());
        assertEquals(log.toString(), e.where());
        assertTrue(e.hint().contains(log.toString()), e.hint());
    }

    @Test
    void errorsOfConfigureProbesAreNotThePackagesFailure() throws IOException {
        // numpy.distutils probes compiler flags and C++17 in temporary directories; those errors come first in its log
        Path log = tmp.resolve("module-numpy.log");
        Files.writeString(log, "INFO: CCompilerOpt.cc_test_flags[1086] : testing flags (-Werror=switch)\n"
                + "/tmp/tmpx7yg17tf/test.cpp:2:10: fatal error: 'type_traits' file not found\n"
                + "error: overriding currently unsupported use of floating point exceptions on this target\n"
                + "INFO: clang-16: numpy/core/src/multiarray/ctors.c\n"
                + "numpy/core/src/multiarray/ctors.c:12:3: error: unknown type name 'jmp_buf'\n");
        FaasmException e = ModuleBuilder.diagnose(directory("numpy", false), Path.of("/w/src"), log, new FaasmException("Step failed", "", "x"));
        assertTrue(e.getMessage().contains("does not compile for wasm32-wasi: /w/src/numpy/core/src/multiarray/ctors.c:12: error: unknown "
                + "type name 'jmp_buf'"), e.getMessage());
        Files.writeString(log, "/tmp/tmpab_12cde/test.c:1:1: error: probe failed\nbuilt\n");
        assertEquals(null, ModuleBuilder.firstCompileError(Path.of("/w/src"), log), "a successful build whose probes failed warns of nothing");
    }

    @Test
    void buildRequirementsAndOtherAcceptedArchivesArePinned() {
        ArchivePin git = new ArchivePin("alsoAccepted", "numpy-1.26.4-git.tar.gz", "ab".repeat(32), List.of(), null);
        ModuleSpec.BuildRequirement cython = ModuleSpec.BuildRequirement.of("cython", "0.29.32",
                new ArchivePin("requirement", "cython3_0.29.32-2+b1_amd64.deb", "cd".repeat(32), List.of(), "cython3"), "module numpy", WHERE);
        ModuleSpec spec = new ModuleSpec("numpy", "1.26.4", null, false, null, null, "numpy-1.26.4.tar.gz", "ef".repeat(32), List.of(), null,
                null, null, Map.of(), List.of(), List.of(git), List.of(cython), WHERE);
        assertEquals(List.of("numpy-1.26.4.tar.gz", "numpy-1.26.4-git.tar.gz"), spec.acceptedArchives().stream().map(ArchivePin::fileName).toList());
        FaasmException e = assertThrows(FaasmException.class, () -> ModuleSpec.BuildRequirement.of("cython", null,
                new ArchivePin("requirement", "Cython-0.29.32.tar.gz", "cd".repeat(32), List.of(), null), "module numpy", WHERE));
        assertTrue(e.getMessage().contains("Requirement cython of module numpy is Cython-0.29.32.tar.gz: only Debian binary packages (.deb) "
                + "and wheels (.whl)"), e.getMessage());
        e = assertThrows(FaasmException.class, () -> new ModuleSpec("numpy", "1.26.4", null, false, null, null, "numpy-1.26.4.tar.gz",
                "ef".repeat(32), List.of(), null, null, null, Map.of(), List.of(), List.of(new ArchivePin("alsoAccepted", "x.tar.gz", "short",
                        List.of(), null)), List.of(), WHERE));
        assertTrue(e.getMessage().contains("Module numpy: <alsoAccepted> archive x.tar.gz needs a <fileName> and a <sha256>"), e.getMessage());
    }

    @Test
    void aBundleListsItsExtensions() throws IOException {
        Path root = tmp.resolve("bundle");
        Files.createDirectories(root.resolve("lib"));
        Files.writeString(root.resolve("lib/libpyext-genshi._speedups.a"), "!<arch>\n");
        Files.writeString(root.resolve(ModuleBundle.EXTENSIONS), "# comment\ngenshi._speedups=lib/libpyext-genshi._speedups.a\n");
        assertEquals(Map.of("genshi._speedups", root.resolve("lib/libpyext-genshi._speedups.a")), new ModuleBundle(root).extensions());
        Files.writeString(root.resolve(ModuleBundle.EXTENSIONS), "x=lib/missing.a\n");
        assertThrows(FaasmException.class, () -> new ModuleBundle(root).extensions());
    }

    /** A module builder over a stand-in CPython build: enough for modules that need no compiler (wheels, Debian packages). */
    private ModuleBuilder standInBuilder(String pythonKey) throws IOException {
        Path root = tmp.resolve("wasm32-wasi");
        Files.createDirectories(root.resolve("lib/python3.11"));
        Files.writeString(root.resolve("lib/python3.11/_sysconfigdata__wasi_wasm32-wasi.py"), "build_time_vars = {}\n");
        Toolchain toolchain = new Toolchain("test", Path.of("/no/clang"), Path.of("/no/clang++"), Path.of("/no/llvm-ar"),
                Path.of("/no/llvm-ranlib"), Path.of("/no/wasm-ld"), Path.of("/no/sysroot"), "clang 0", "toolchain-fingerprint", null,
                Path.of("/no/cc"), Path.of("/no/make"));
        SourceResolver resolver = new SourceResolver(new SourceCache(tmp.resolve("cache"), Log.NONE), new Downloader(Log.NONE), true,
                Log.NONE);
        return new ModuleBuilder(toolchain, new BuildCache(tmp.resolve("builds"), Log.NONE), new WasmOutputs(root, pythonKey, "3.11.2", false),
                Path.of("/no/python3"), resolver, true, Log.NONE);
    }

    private Path pureWheel(String name, String content) throws IOException {
        Path wheel = tmp.resolve(name + "-1.0-py3-none-any.whl");
        writeZip(wheel, Map.of(name + "/__init__.py", content, name + "/__pycache__/__init__.cpython-311.pyc", "stale",
                name + "-1.0.dist-info/WHEEL", "Tag: py3-none-any\n"));
        return wheel;
    }

    @Test
    void aBundleIsRebuiltOnlyWhenAnInputChangesAndDropsStaleBytecode() throws IOException {
        Path bundleDir = tmp.resolve("target/faasm-modules");
        Path wheel = pureWheel("alpha", "A = 1\n");
        List<ModuleSpec> specs = List.of(archive("alpha", wheel, Digests.sha256(wheel)));
        ModuleBundle bundle = standInBuilder("python-key-1").buildAll(specs, bundleDir, tmp.resolve("work"), tmp.resolve("logs"));
        assertEquals(List.of("alpha-1.0.dist-info/WHEEL", "alpha/__init__.py"), FileTrees.listFiles(bundle.sitePackages()), "no .pyc");
        assertEquals("# modules in this bundle\nalpha=1.0\n", Files.readString(bundleDir.resolve(ModuleBundle.MODULES)));

        // unchanged inputs: the bundle is left alone (a marker file inside survives)
        Files.writeString(bundleDir.resolve("marker"), "x");
        standInBuilder("python-key-1").buildAll(specs, bundleDir, tmp.resolve("work"), tmp.resolve("logs"));
        assertTrue(Files.exists(bundleDir.resolve("marker")));

        // a new CPython build: rebuilt
        standInBuilder("python-key-2").buildAll(specs, bundleDir, tmp.resolve("work"), tmp.resolve("logs"));
        assertFalse(Files.exists(bundleDir.resolve("marker")));
    }

    @Test
    void aFailingModuleLeavesThePreviousBundleAsItWas() throws IOException {
        Path bundleDir = tmp.resolve("target/faasm-modules");
        Path good = pureWheel("alpha", "A = 1\n");
        standInBuilder("k").buildAll(List.of(archive("alpha", good, Digests.sha256(good))), bundleDir, tmp.resolve("work"),
                tmp.resolve("logs"));
        Path foreign = tmp.resolve("beta-1.0-cp311-cp311-macosx_11_0_arm64.whl");
        writeZip(foreign, Map.of("beta/__init__.py", ""));
        List<ModuleSpec> specs = List.of(archive("alpha", good, Digests.sha256(good)), archive("beta", foreign, Digests.sha256(foreign)));
        FaasmException e = assertThrows(FaasmException.class,
                () -> standInBuilder("k").buildAll(specs, bundleDir, tmp.resolve("work"), tmp.resolve("logs")));
        assertTrue(e.getMessage().contains("macosx_11_0_arm64"), e.getMessage());
        assertEquals("# modules in this bundle\nalpha=1.0\n", Files.readString(bundleDir.resolve(ModuleBundle.MODULES)));
        try (var siblings = Files.list(bundleDir.getParent())) {
            assertEquals(List.of(bundleDir), siblings.toList(), "no half-built directory is left behind");
        }
    }

    @Test
    void twoModulesInstallingTheSameFileAreAnError() throws IOException {
        Path one = pureWheel("alpha", "A = 1\n");
        Path two = tmp.resolve("alpha_fork-1.0-py3-none-any.whl");
        writeZip(two, Map.of("alpha/__init__.py", "A = 2\n", "alpha_fork-1.0.dist-info/WHEEL", "Tag: py3-none-any\n"));
        List<ModuleSpec> specs = List.of(archive("alpha", one, Digests.sha256(one)), archive("alpha-fork", two, Digests.sha256(two)));
        FaasmException e = assertThrows(FaasmException.class,
                () -> standInBuilder("k").buildAll(specs, tmp.resolve("bundle"), tmp.resolve("work"), tmp.resolve("logs")));
        assertTrue(e.getMessage().contains("Modules alpha and alpha-fork both install site-packages/alpha/__init__.py"), e.getMessage());
    }

    /** A cross environment for collect(): only the extension suffix matters there. */
    private final class TestCross {
        final CrossEnvironment env;

        TestCross() {
            env = CrossEnvironment.forSuffix(".cpython-311-wasm32-wasi.so");
        }
    }

    private static void writeZip(Path file, Map<String, String> entries) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }

    private static void writeDeb(Path file, Map<String, String> files) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (XZCompressorOutputStream xz = new XZCompressorOutputStream(data); TarArchiveOutputStream tar = new TarArchiveOutputStream(xz)) {
            for (Map.Entry<String, String> e : files.entrySet()) {
                byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry t = new TarArchiveEntry(e.getKey());
                t.setSize(bytes.length);
                tar.putArchiveEntry(t);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        try (OutputStream out = Files.newOutputStream(file); ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
            byte[] version = "2.0\n".getBytes(StandardCharsets.US_ASCII);
            ar.putArchiveEntry(new ArArchiveEntry("debian-binary", version.length));
            ar.write(version);
            ar.closeArchiveEntry();
            ar.putArchiveEntry(new ArArchiveEntry("data.tar.xz", data.size()));
            ar.write(data.toByteArray());
            ar.closeArchiveEntry();
        }
    }
}
