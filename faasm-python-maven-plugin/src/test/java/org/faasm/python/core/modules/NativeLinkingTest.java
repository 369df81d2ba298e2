package org.faasm.python.core.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.faasm.python.core.sources.ArchivePin;
import org.faasm.python.core.toolchain.Toolchain;
import org.faasm.python.host.FaasmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** C libraries, pre-build steps, C++ links and init functions: what linking C extensions statically needs. */
class NativeLinkingTest {
    private static final String WHERE = "modules-module/pom.xml <pythonModules> (module pyyaml)";
    private static final ArchivePin LIBYAML = new ArchivePin("archive", "libyaml-0.2.5.tar.gz", "fa".repeat(32), List.of(), null);

    @TempDir
    Path tmp;

    @Test
    void aCLibraryIsBuiltWithCmakeByDefaultAndRefusesOtherBuildSystemsAndNonSourceArchives() {
        assertEquals("cmake", new CLibrarySpec("libyaml", "0.2.5", LIBYAML, List.of(), null, List.of(), WHERE).buildSystem());
        FaasmException e = assertThrows(FaasmException.class, () -> new CLibrarySpec("libyaml", "0.2.5", LIBYAML, List.of(), "autotools",
                List.of(), WHERE));
        assertTrue(e.getMessage().contains("'autotools'") && e.getMessage().contains("libyaml"), e.getMessage());
        e = assertThrows(FaasmException.class, () -> new CLibrarySpec("libyaml", null,
                new ArchivePin("archive", "libyaml.deb", "fa".repeat(32), List.of(), null), List.of(), null, List.of(), WHERE));
        assertTrue(e.getMessage().contains("libyaml.deb is not a source archive"), e.getMessage());
        e = assertThrows(FaasmException.class, () -> new CLibrarySpec("libyaml", null,
                new ArchivePin("archive", "libyaml-0.2.5.tar.gz", "abc", List.of(), null), List.of(), null, List.of(), WHERE));
        assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
        e = assertThrows(FaasmException.class, () -> new CLibrarySpec("../yaml", null, LIBYAML, List.of(), null, List.of(), WHERE));
        assertTrue(e.getMessage().contains("'../yaml'"), e.getMessage());
    }

    @Test
    void theCmakeToolchainFileCrossCompilesForWasiWithStaticTryCompiles() {
        Toolchain t = new Toolchain("debian", Path.of("/usr/bin/clang-19"), Path.of("/usr/bin/clang++-19"), Path.of("/usr/bin/llvm-ar-19"),
                Path.of("/usr/bin/llvm-ranlib-19"), Path.of("/usr/bin/wasm-ld-19"), Path.of("/wasi/sysroot"), "clang 19", "f", null, null, null);
        String file = CLibraryBuilder.toolchainFile(t, "-ffile-prefix-map=/w=/faasm/src/module");
        for (String line : List.of("set(CMAKE_C_COMPILER \"/usr/bin/clang-19\")", "set(CMAKE_C_COMPILER_TARGET wasm32-wasi)",
                "set(CMAKE_SYSROOT \"/wasi/sysroot\")", "set(CMAKE_AR \"/usr/bin/llvm-ar-19\" CACHE FILEPATH \"\")",
                "set(CMAKE_C_FLAGS_INIT \"-ffile-prefix-map=/w=/faasm/src/module\")", "set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)")) {
            assertTrue(file.contains(line + "\n"), line + " in\n" + file);
        }
    }

    @Test
    void aMakeBuiltLibraryRunsTheWasiCompilerAsCcWithItsVariablesAndTargets() {
        CLibrarySpec openblas = new CLibrarySpec("openblas", "0.3.21", LIBYAML, List.of(), " Make ", List.of("NOFORTRAN=1", "libs"),
                List.of(Path.of("/p/01-wasi.patch")), WHERE);
        assertEquals("make", openblas.buildSystem());
        assertEquals(List.of(Path.of("/p/01-wasi.patch")), openblas.patches());
        Toolchain t = new Toolchain("debian", Path.of("/usr/bin/clang-19"), Path.of("/usr/bin/clang++-19"), Path.of("/usr/bin/llvm-ar-19"),
                Path.of("/usr/bin/llvm-ranlib-19"), Path.of("/usr/bin/wasm-ld-19"), Path.of("/wasi/sysroot"), "clang 19", "f", null, null, null);
        List<String> cmd = CLibraryBuilder.makeCommand(t, "-ffile-prefix-map=/w=/faasm/src/module", openblas.options());
        assertEquals("make", cmd.get(0));
        assertTrue(cmd.get(1).matches("-j[0-9]+"), cmd.toString());
        assertEquals(List.of("CC=/usr/bin/clang-19 --target=wasm32-wasi --sysroot=/wasi/sysroot -ffile-prefix-map=/w=/faasm/src/module",
                "AR=/usr/bin/llvm-ar-19", "RANLIB=/usr/bin/llvm-ranlib-19", "HOSTCC=cc", "NOFORTRAN=1", "libs"), cmd.subList(2, cmd.size()));
    }

    @Test
    void anInstalledLibraryLinkIsKeptUnderItsNameAndItsTargetLeftOut() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Files.writeString(lib.resolve("libopenblas_riscv64_generic-r0.3.21.a"), "!<arch>\n");
        Files.createSymbolicLink(lib.resolve("libopenblas.a"), Path.of("libopenblas_riscv64_generic-r0.3.21.a"));
        Files.writeString(lib.resolve("libyaml.a"), "!<arch>\n");
        Files.createDirectories(lib.resolve("pkgconfig"));
        assertEquals(List.of("libopenblas.a", "libyaml.a"), CLibraryBuilder.staticLibraries(lib));
        assertEquals(List.of(), CLibraryBuilder.staticLibraries(tmp.resolve("none")));
    }

    @Test
    void aPreBuildStepMustBeACommandOfTheBuildPython() {
        FaasmException e = assertThrows(FaasmException.class, () -> new ModuleSpec("msgpack", "1.1.0", null, false, Path.of("/src"), null, null,
                null, null, null, null, null, null, null, List.of(), List.of(), Map.of(), List.of(), List.of("cython msgpack/_cmsgpack.pyx"), WHERE));
        assertTrue(e.getMessage().contains("'cython msgpack/_cmsgpack.pyx'") && e.getMessage().contains("python "), e.getMessage());
        ModuleSpec s = new ModuleSpec("msgpack", "1.1.0", null, false, Path.of("/src"), null, null, null, null, null, null, null, null, null,
                List.of(), List.of(), Map.of(), List.of(new CLibrarySpec("libyaml", "0.2.5", LIBYAML, List.of(), null, List.of(), WHERE)),
                List.of("  python -m cython msgpack/_cmsgpack.pyx ", " "), WHERE);
        assertEquals(List.of("python -m cython msgpack/_cmsgpack.pyx"), s.preBuild());
        assertTrue(s.sourceLabel().contains("links libyaml 0.2.5 (C library, cmake, libyaml-0.2.5.tar.gz)"), s.sourceLabel());
    }

    /** Runs the CXX script with stand-ins for the compiler and LDSHARED that say which one ran. */
    private String cxx(String... args) throws Exception {
        Path compiler = tmp.resolve("compiler");
        Files.writeString(compiler, "#!/bin/sh\necho compile \"$@\"\n");
        Path ldshared = tmp.resolve("ldshared");
        Files.writeString(ldshared, "#!/bin/sh\necho archive \"$@\"\n");
        Path script = tmp.resolve("faasm-cxx");
        Files.writeString(script, CrossEnvironment.cxxScript(List.of(compiler.toString(), "--target=wasm32-wasi"), ldshared));
        for (Path p : List.of(compiler, ldshared, script)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void setuptoolsLinkOfACxxExtensionThroughCxxIsArchivedAndCompilesStillCompile() throws Exception {
        assertEquals("compile --target=wasm32-wasi -O2 -c lib/dconv_wrapper.cc -o build/dconv_wrapper.o",
                cxx("-O2", "-c", "lib/dconv_wrapper.cc", "-o", "build/dconv_wrapper.o"));
        // setuptools replaces LDSHARED by CXX to link an extension with C++ sources (ujson's)
        assertEquals("archive -O2 build/a.o build/b.o -lstdc++ -lm -o build/ujson.cpython-313-wasm32-wasi.so",
                cxx("-O2", "build/a.o", "build/b.o", "-lstdc++", "-lm", "-o", "build/ujson.cpython-313-wasm32-wasi.so"));
        assertEquals("compile --target=wasm32-wasi --version", cxx("--version"));
    }

    @Test
    void aRenamedInitFunctionHasTheSameLengthIsAnIdentifierAndIsStable() {
        String a = InitFunctions.unique("simplejson._speedups", "PyInit__speedups", Set.of("PyInit__speedups"));
        assertEquals("PyInit__speedups".length(), a.length());
        assertTrue(a.matches("PyInit_[a-z][a-z0-9]*"), a);
        assertEquals(a, InitFunctions.unique("simplejson._speedups", "PyInit__speedups", Set.of("PyInit__speedups")));
        assertNotEquals(a, InitFunctions.unique("simplejson._speedups", "PyInit__speedups", Set.of("PyInit__speedups", a)));
        assertNotEquals(a, InitFunctions.unique("other._speedups", "PyInit__speedups", Set.of("PyInit__speedups")));
    }

    @Test
    void onlyTheLengthPrefixedSymbolNameIsReplaced() {
        byte[] data = ("x\u0010PyInit__speedups y PyInit__speedups \u0010PyInit__speedups").getBytes(StandardCharsets.ISO_8859_1);
        int n = InitFunctions.replaceAll(data, "\u0010PyInit__speedups".getBytes(StandardCharsets.ISO_8859_1),
                "\u0010PyInit_abcdefghi".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(2, n);
        assertEquals("x\u0010PyInit_abcdefghi y PyInit__speedups \u0010PyInit_abcdefghi", new String(data, StandardCharsets.ISO_8859_1));
    }

    @Test
    void theInittabRegistersARenamedInitFunctionAndAnUnrenamedClashIsStillRefused() throws Exception {
        Map<String, String> ext = Map.of("genshi._speedups", "lib/a.a", "simplejson._speedups", "lib/b.a");
        assertThrows(FaasmException.class, () -> ExtensionTable.generate(ext));
        String c = ExtensionTable.generate(ext, Map.of("simplejson._speedups", "PyInit_ab404cqdu"));
        assertTrue(c.contains("{\"genshi._speedups\", PyInit__speedups},") && c.contains("{\"simplejson._speedups\", PyInit_ab404cqdu},"), c);

        Path root = tmp.resolve("bundle");
        Files.createDirectories(root.resolve("lib"));
        Files.writeString(root.resolve("lib/a.a"), "!<arch>\n");
        Files.writeString(root.resolve("lib/b.a"), "!<arch>\n");
        Files.writeString(root.resolve(ModuleBundle.EXTENSIONS), "genshi._speedups=lib/a.a\nsimplejson._speedups=lib/b.a PyInit_ab404cqdu\n");
        ModuleBundle b = new ModuleBundle(root);
        assertEquals(Map.of("genshi._speedups", root.resolve("lib/a.a"), "simplejson._speedups", root.resolve("lib/b.a")), b.extensions());
        assertEquals(Map.of("genshi._speedups", "PyInit__speedups", "simplejson._speedups", "PyInit_ab404cqdu"), b.initFunctions());
    }
}
