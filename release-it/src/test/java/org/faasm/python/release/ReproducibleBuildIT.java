package org.faasm.python.release;

import static org.faasm.python.release.Checkouts.ROOT;
import static org.faasm.python.release.Checkouts.mvn;
import static org.faasm.python.release.Checkouts.tail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Portable keys, reproducible bytes: a second checkout in another directory, with a cache
 * directory of its own (only the verified source archives in it) and no team cache, builds
 * everything from scratch and gets the same py_func.wasm and sysroot archive, byte for byte, as the
 * reactor's build. Neither checkout's path appears in the entrypoint.
 */
class ReproducibleBuildIT {
    @TempDir
    static Path tmp;

    @Test
    void aSecondCheckoutWithItsOwnCacheBuildsTheSameBytes() throws Exception {
        Path other = Checkouts.copy(tmp.resolve("another-checkout"));
        Path cache = Checkouts.cacheWithSources(tmp.resolve("its-own-cache"));
        Path log = tmp.resolve("build.log");
        assertEquals(0, mvn(other, log, "package", "-DskipTests", "-pl", Checkouts.RELEASE_MODULES, "-Dfaasm.cacheDirectory=" + cache,
                "-Dfaasm.cache.remote=false"), tail(log));
        String text = Files.readString(log);
        assertTrue(text.contains("wasm: configure") && text.contains("native python: configure"), "built from scratch:\n" + tail(log));

        for (String output : Checkouts.releaseOutputs()) {
            Checkouts.assertSameBytes(other, output, "another checkout");
        }
        String wasm = new String(Files.readAllBytes(other.resolve("cpython-module/target/py_func.wasm")), StandardCharsets.ISO_8859_1);
        for (Path checkout : new Path[] {ROOT, other, cache, Checkouts.userCache()}) {
            assertFalse(wasm.contains(checkout.toString()), "py_func.wasm names " + checkout);
        }
    }
}
