package org.faasm.python.core.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.faasm.python.core.sources.ArchivePin;
import org.faasm.python.core.sources.Downloader;
import org.faasm.python.core.sources.SourceCache;
import org.faasm.python.core.sources.SourceCheck;
import org.faasm.python.core.sources.SourceResolver;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleSourcesTest {
    private static final String WHERE = "pom.xml <pythonModules>";
    private static final String NUMPY = Digests.sha256("numpy".getBytes(StandardCharsets.UTF_8));
    private static final String CYTHON = Digests.sha256("cython".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path tmp;

    private SourceResolver offlineResolver() {
        return new SourceResolver(new SourceCache(tmp.resolve("cache"), Log.NONE), new Downloader(Log.NONE), true, Log.NONE);
    }

    private static ModuleSpec archiveModule(String name, String fileName, String sha256, List<ModuleSpec.BuildRequirement> requirements) {
        return new ModuleSpec(name, "1.0", null, false, null, null, fileName, sha256, List.of("index:" + name), null, null, null, null, null,
                List.of(), requirements, WHERE + " (module " + name + ")");
    }

    @Test
    void everySourceOfTheModuleSetIsCheckedAndEveryMissingOneReportedTogether() throws Exception {
        Path present = Files.createDirectories(tmp.resolve("mylib"));
        ModuleSpec.BuildRequirement cython = ModuleSpec.BuildRequirement.of("cython", "0.29.32",
                new ArchivePin("requirement", "cython3_0.29.32_amd64.deb", CYTHON, List.of(), "cython3"), "module numpy", WHERE);
        List<ModuleSpec> specs = List.of(
                archiveModule("numpy", "numpy-1.26.4.tar.gz", NUMPY, List.of(cython)),
                new ModuleSpec("mylib", null, null, false, present, null, null, null, null, null, null, null, null, null, WHERE),
                new ModuleSpec("gone", null, null, false, tmp.resolve("gone"), null, null, null, null, null, null, null, null, null, WHERE),
                new ModuleSpec("pyaes", null, null, false, null, null, null, null, null, null, "pyaes==1.6.1", null, null, null, WHERE));
        SourceCheck check = new SourceCheck();

        new ModuleSources(offlineResolver(), true).check(specs, check);
        SourceCheck.Missing e = assertThrows(SourceCheck.Missing.class, check::complete);

        String m = e.describe();
        // the setup.py builds (numpy, mylib, gone) also need the builder's setuptools: one more missing source
        assertEquals(5, e.failures().size(), m);
        assertTrue(m.startsWith("5 of the 6 sources this build needs are missing"), m);
        assertTrue(m.contains("1. numpy 1.0 is not in the source cache and Maven is offline"), m);
        assertTrue(m.contains("where: " + WHERE + " (module numpy)"), m);
        assertTrue(m.contains("put numpy-1.26.4.tar.gz at " + tmp.resolve("cache/sha256/" + NUMPY + "/numpy-1.26.4.tar.gz")
                + ", or name a local copy with <archive> in the module's declaration"), m);
        assertTrue(m.contains("2. cython 0.29.32 is not in the source cache"), m);
        assertTrue(m.contains("'apt-get download cython3' gives this very package"), m);
        assertTrue(m.contains("3. setuptools 78.1.1 is not in the source cache"), m);
        assertTrue(m.contains("4. The source directory of module gone does not exist"), m);
        assertTrue(m.contains("5. Module pyaes is a pip requirement ('pyaes==1.6.1') and Maven is offline"), m);
    }

    @Test
    void aModuleSetWhoseArchivesAreCachedPassesWithoutNetwork() throws Exception {
        SourceCache cache = new SourceCache(tmp.resolve("cache"), Log.NONE);
        Path numpy = Files.writeString(tmp.resolve("numpy-1.26.4.tar.gz"), "numpy");
        cache.put(numpy, NUMPY, "numpy-1.26.4.tar.gz", false);
        SourceCheck check = new SourceCheck();

        // a module that brings its own setuptools does not need the builder's
        Path setuptools = Files.writeString(tmp.resolve("setuptools.whl"), "setuptools");
        String sha = org.faasm.python.host.util.Digests.sha256(setuptools);
        cache.put(setuptools, sha, "setuptools-1.0-py3-none-any.whl", false);
        ModuleSpec.BuildRequirement own = ModuleSpec.BuildRequirement.of("setuptools", "1.0",
                new ArchivePin("requirement", "setuptools-1.0-py3-none-any.whl", sha, List.of(), null), "module numpy", WHERE);
        new ModuleSources(offlineResolver(), true).check(List.of(archiveModule("numpy", "numpy-1.26.4.tar.gz", NUMPY, List.of(own))), check);
        check.complete();

        assertEquals(2, check.checked());
    }
}
