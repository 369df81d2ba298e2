package org.faasm.python.core.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.faasm.python.host.FaasmException;
import org.junit.jupiter.api.Test;

class Pep517BuildTest {
    private static final ModuleSpec SPEC = new ModuleSpec("fastsum", "1.0", null, false, java.nio.file.Path.of("fastsum"), null, null,
            null, null, null, null, null, null, null, "pom.xml (module fastsum)");

    @Test
    void theBuildSystemTableIsReadAsTheBuildPythonPrintsIt() {
        Pep517Build.BuildSystem bs = Pep517Build.parse("backend=setuptools.build_meta\nrequires=setuptools>=74\nrequires=Cython_Lint[x] ; python_version>'3'\n");

        assertEquals("setuptools.build_meta", bs.backend());
        assertEquals(List.of("setuptools", "cython-lint"), bs.requiredNames());
    }

    @Test
    void aSetuptoolsProjectWhoseRequirementsAreProvidedPasses() {
        Pep517Build.check(SPEC, new Pep517Build.BuildSystem("setuptools.build_meta", List.of("setuptools>=61", "wheel")),
                List.of("setuptools"));
    }

    @Test
    void aRequirementNoPinProvidesIsNamedWithWhatToDeclare() {
        FaasmException e = assertThrows(FaasmException.class, () -> Pep517Build.check(SPEC,
                new Pep517Build.BuildSystem("setuptools.build_meta", List.of("setuptools", "cython>=3")), List.of("setuptools")));

        assertTrue(e.getMessage().contains("Module fastsum needs cython to build"), e.getMessage());
        assertTrue(e.describe().contains("add a <buildRequirement> for each"), e.describe());
    }

    @Test
    void aRustBackendIsRefusedNamingTheBackendAndWhatItWouldNeed() {
        FaasmException e = assertThrows(FaasmException.class, () -> Pep517Build.check(SPEC,
                new Pep517Build.BuildSystem("maturin", List.of("maturin>=1,<2")), List.of("setuptools")));

        assertTrue(e.getMessage().contains("is built by the PEP 517 backend 'maturin'"), e.getMessage());
        assertTrue(e.getMessage().contains("a Rust compiler for wasm32-wasi"), e.getMessage());
        assertTrue(e.describe().contains("where: pom.xml (module fastsum)"), e.describe());
    }

    @Test
    void mesonPythonIsRunWhenItsRequirementsArePinned() {
        Pep517Build.check(SPEC, new Pep517Build.BuildSystem("mesonpy", List.of("meson-python>=0.15.0", "Cython>=3.0.6")),
                List.of("meson-python", "pyproject-metadata", "packaging", "cython", "setuptools"));
    }

    @Test
    void configSettingsOfSeveralWordsAreListsAndTheCrossFileComesFirst() {
        java.util.Map<String, Object> s = Pep517Build.mesonSettings(java.util.Map.of("setup-args", "-Dblas=none  -Dlapack=none",
                "builddir", "x"), java.nio.file.Path.of("/w/cross.ini"), java.nio.file.Path.of("/w/meson-build"));

        assertEquals(List.of("--cross-file=/w/cross.ini", "-Dblas=none", "-Dlapack=none"), s.get("setup-args"));
        assertEquals("x", s.get("builddir"), "one word stays a string");
        assertEquals("/w/meson-build", s.get("build-dir"));
        assertEquals("{\"a\": [\"x\\\"y\", \"\\\\\"]}", Pep517Build.json(java.util.Map.of("a", List.of("x\"y", "\\"))));
    }

    @Test
    void aMesonBuildSeesNoneOfTheSetuptoolsCrossVariables() {
        java.util.Map<String, String> cross = new java.util.HashMap<>(java.util.Map.of("CC", "clang", "LDSHARED", "faasm-ldshared",
                "_PYTHON_SYSCONFIGDATA_NAME", "_sysconfigdata__wasi_wasm32-wasi", "_PYTHON_HOST_PLATFORM", "wasi-wasm32",
                "PYTHONPATH", "/w/cross/sysconfigdata"));

        java.util.Map<String, String> env = Pep517Build.mesonEnvironment(cross, "/w/req/mesonpy");

        assertEquals(null, env.get("CC"));
        assertTrue(env.containsKey("CC"), "removed from the inherited environment, not left out");
        assertEquals(null, env.get("_PYTHON_SYSCONFIGDATA_NAME"));
        assertEquals("wasi-wasm32", env.get("_PYTHON_HOST_PLATFORM"), "the wheel is tagged for wasi-wasm32");
        assertEquals("/w/req/mesonpy", env.get("PYTHONPATH"));
    }

    @Test
    void aMissingNinjaIsNamedWithThePackageThatBringsIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("NINJA") == null);
        FaasmException e = assertThrows(FaasmException.class, () -> Pep517Build.checkNinja(SPEC, java.util.Map.of("PATH", empty.toString())));

        assertTrue(e.getMessage().contains("meson-python, which runs ninja, and ninja is not on PATH"), e.getMessage());
        assertTrue(e.describe().contains("apt-get install ninja-build"), e.describe());
    }
}
