package org.faasm.python.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.faasm.python.core.image.CPythonImage;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.Log;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes the faasm/cpython image to a real registry (Debian's docker-registry, the distribution
 * registry, on loopback with its own configuration) and reads it back as a client would.
 */
class ImagePushIT {
    private static final Path SYSROOT = Path.of(System.getProperty("faasm.sysrootDirectory", "target/faasm-sysroot"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path tmp;

    private static Process registry;
    private static int port;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Process readOnlyRegistry;
    private static int readOnlyPort;

    @BeforeAll
    static void startRegistries() throws Exception {
        port = freePort();
        registry = startRegistry("rw", port, "");
        readOnlyPort = freePort();
        readOnlyRegistry = startRegistry("ro", readOnlyPort, "  maintenance:\n    readonly:\n      enabled: true\n");
    }

    /** Debian's docker-registry with a configuration of our own, on loopback only. */
    static Process startRegistry(String name, int port, String extraStorage) throws Exception {
        Path binary = Path.of("/usr/bin/docker-registry");
        assertTrue(Files.isExecutable(binary), "this test needs Debian's docker-registry package (.ci/run installs it)");
        Path config = Files.writeString(tmp.resolve(name + ".yml"), String.join("\n",
                "version: 0.1",
                "log:",
                "  level: error",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + tmp.resolve("storage-" + name),
                extraStorage,
                "http:",
                "  addr: 127.0.0.1:" + port,
                ""));
        Process p = new ProcessBuilder(binary.toString(), "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return p;
                }
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        p.destroy();
        throw new IllegalStateException("the registry did not start: " + Files.readString(tmp.resolve(name + ".log")));
    }

    @AfterAll
    static void stopRegistries() {
        for (Process p : new Process[] {registry, readOnlyRegistry}) {
            if (p != null) {
                p.destroy();
            }
        }
    }

    static String base() {
        return "http://127.0.0.1:" + port;
    }

    private static CPythonImage.Result push(String ref) {
        return CPythonImage.build(new CPythonImage.Request(SYSROOT, ref, null, true, null, null, null, tmp.resolve("jib"), false), Log.NONE);
    }

    @Test
    void pushesAnImageWhoseLayersHoldTheSysrootAndTheEntrypoint() throws Exception {
        String ref = "127.0.0.1:" + port + "/faasm/cpython:0.1.0-it";
        CPythonImage.Result first = push(ref);
        CPythonImage.Result again = push(ref);
        assertEquals(first.digest(), again.digest(), "the same sysroot gives the same digest");

        HttpResponse<String> manifest = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v2/faasm/cpython/manifests/0.1.0-it"))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, manifest.statusCode(), manifest.body());
        assertEquals(first.digest(), "sha256:" + Digests.sha256(manifest.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String layersJson = manifest.body().substring(manifest.body().indexOf("\"layers\""));
        List<String> layers = new ArrayList<>();
        Matcher m = Pattern.compile("\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"").matcher(layersJson);
        while (m.find()) {
            layers.add(m.group(1));
        }
        assertEquals(4, layers.size(), "stdlib, site-packages, libpython and headers, entrypoint: " + manifest.body());

        byte[] entrypointLayer = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v2/faasm/cpython/blobs/" + layers.get(3))).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        assertEquals(layers.get(3), "sha256:" + Digests.sha256(entrypointLayer));
        String wasmSha = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(new ByteArrayInputStream(entrypointLayer))))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.getName().replaceFirst("^/", "").equals("usr/local/faasm/wasm/python/py_func/function.wasm")) {
                    wasmSha = Digests.sha256(tar.readAllBytes());
                }
            }
        }
        assertNotNull(wasmSha, "the entrypoint layer holds /usr/local/faasm/wasm/python/py_func/function.wasm");
        assertEquals(Digests.sha256(SYSROOT.resolve("wasm/python/py_func/function.wasm")), wasmSha);
    }

    @Test
    void aRegistryThatRejectsThePushIsAClearError() {
        FaasmException e = assertThrows(FaasmException.class, () -> push("127.0.0.1:" + readOnlyPort + "/faasm/cpython:ro"));
        assertTrue(e.describe().contains("127.0.0.1:" + readOnlyPort + "/faasm/cpython:ro"), e.describe());
        assertTrue(e.describe().contains("what to do:"), e.describe());
    }

    @Test
    void anUnreachableRegistryIsAClearError() throws Exception {
        int closed = freePort();
        FaasmException e = assertThrows(FaasmException.class, () -> push("127.0.0.1:" + closed + "/faasm/cpython:x"));
        assertTrue(e.describe().contains("127.0.0.1:" + closed), e.describe());
    }

    @Test
    void aTarballIsWrittenInsteadOfPushingWhenAsked() throws Exception {
        Path tarball = tmp.resolve("out/cpython.tar");
        CPythonImage.Result r = CPythonImage.build(new CPythonImage.Request(SYSROOT, "faasm/cpython:tar", null, false, null, null, tarball,
                tmp.resolve("jib"), true), Log.NONE);
        assertTrue(Files.size(tarball) > 1_000_000);
        assertTrue(r.digest().startsWith("sha256:"));
    }
}
