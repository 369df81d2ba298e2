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
 * directory of its own (the verified source archives and the native build python in it, nothing
 * of the wasm side) and no team cache, builds the wasm side from scratch (CPython for wasm32-wasi,
 * every module and C library, the entrypoint, the sysroot) and gets the same py_func.wasm and
 * sysroot archive, byte for byte, as the reactor's build. Neither checkout's path appears in the
 * entrypoint. The native build python is a build-machine tool that no output embeds; sharing it
 * keeps a second cold build within CI's time.
 */
class ReproducibleBuildIT {
    @TempDir
    static Path tmp;

    @Test
    void aSecondCheckoutWithItsOwnCacheBuildsTheSameBytes() throws Exception {
        Path other = Checkouts.copy(tmp.resolve("another-checkout"));
        Path cache = Checkouts.cacheWithSourcesAndNativePython(tmp.resolve("its-own-cache"));
        Path log = tmp.resolve("build.log");
        assertEquals(0, mvn(other, log, "package", "-DskipTests", "-pl", Checkouts.RELEASE_MODULES, "-Dfaasm.cacheDirectory=" + cache,
                "-Dfaasm.cache.remote=false"), tail(log));
        String text = Files.readString(log);
        assertTrue(text.contains("wasm: configure") && text.contains("C library openblas: make") && text.contains("Module numpy built in"),
                "the wasm side built from scratch:\n" + tail(log));
        assertTrue(text.contains("Native build python") && text.contains("reusing the cached build") && !text.contains("native python: configure"),
                "the native build python reused:\n" + tail(log));

        for (String output : Checkouts.releaseOutputs()) {
            Checkouts.assertSameBytes(other, output, "another checkout");
        }
        String wasm = new String(Files.readAllBytes(other.resolve("cpython-module/target/py_func.wasm")), StandardCharsets.ISO_8859_1);
        for (Path checkout : new Path[] {ROOT, other, cache, Checkouts.userCache()}) {
            assertFalse(wasm.contains(checkout.toString()), "py_func.wasm names " + checkout);
        }
    }
}
