package org.faasm.python.core.cpython;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.faasm.python.core.util.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCacheTest {
    @TempDir
    Path tmp;

    private Path built(BuildCache cache) throws Exception {
        Path scratch = cache.scratch("cpython-wasm", "k1");
        Files.createDirectories(scratch.resolve("bin"));
        Files.writeString(scratch.resolve("bin/python.wasm"), "wasm bytes");
        return scratch;
    }

    @Test
    void aPublishedEntryIsFoundAndVerified() throws Exception {
        BuildCache cache = new BuildCache(tmp, Log.NONE);
        Path entry = cache.publish("cpython-wasm", "k1", built(cache), "recipe=wasm-1\n");

        assertEquals(entry, cache.lookup("cpython-wasm", "k1").orElseThrow());
        assertEquals("wasm bytes", Files.readString(entry.resolve("bin/python.wasm")));
        assertTrue(cache.lookup("cpython-wasm", "other").isEmpty());
    }

    @Test
    void aTamperedEntryIsEvicted() throws Exception {
        BuildCache cache = new BuildCache(tmp, Log.NONE);
        Path entry = cache.publish("cpython-wasm", "k1", built(cache), "");
        Files.writeString(entry.resolve("bin/python.wasm"), "changed");
        BuildCache.forgetVerified(); // a later build

        assertTrue(cache.lookup("cpython-wasm", "k1").isEmpty());
        assertFalse(Files.exists(entry));
    }

    @Test
    void anEntryWithoutManifestIsTreatedAsInterrupted() throws Exception {
        BuildCache cache = new BuildCache(tmp, Log.NONE);
        Path half = cache.entry("cpython-wasm", "k1");
        Files.createDirectories(half.resolve("bin"));

        assertTrue(cache.lookup("cpython-wasm", "k1").isEmpty());
        assertFalse(Files.exists(half));
    }

    @Test
    void theKeyDependsOnEveryInputAndChangesAreNamed() {
        BuildInputs a = new BuildInputs().put("configure.options", "").put("cpython.source", "sha256:aa");
        BuildInputs b = new BuildInputs().put("configure.options", "--with-pydebug").put("cpython.source", "sha256:aa");

        assertFalse(a.key().equals(b.key()));
        assertEquals(a.key(), new BuildInputs().put("cpython.source", "sha256:aa").put("configure.options", "").key(),
                "order of insertion does not matter");
        assertEquals(List.of("configure.options changed:  -> --with-pydebug"), b.changesSince(a.values()));
    }

    @Test
    void savedInputsRoundTrip() {
        BuildInputs a = new BuildInputs().put("cflags", "-O2\n-g").put("recipe", "wasm-1");
        Path file = tmp.resolve("inputs");
        a.save(file);

        Map<String, String> loaded = BuildInputs.load(file);

        assertEquals(a.values(), loaded);
        assertTrue(a.changesSince(loaded).isEmpty());
    }
}
