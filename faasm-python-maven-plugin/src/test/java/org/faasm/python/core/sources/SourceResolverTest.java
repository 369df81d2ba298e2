package org.faasm.python.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceResolverTest {
    private static final byte[] CONTENT = "pretend this is Python-3.11.2.tgz".getBytes(StandardCharsets.UTF_8);
    private static final String SHA = Digests.sha256(CONTENT);

    @TempDir
    Path tmp;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile byte[] served = CONTENT;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, served.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(served);
            }
        });
        server.createContext("/missing/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private SourcePin pin(String... urls) throws IOException {
        Path file = tmp.resolve("pin.properties");
        Files.writeString(file, "name=cpython\nversion=3.11.2\narchive.up.file=Python-3.11.2.tgz\narchive.up.sha256=" + SHA
                + "\narchive.up.urls=" + String.join(",", urls) + "\narchive.up.debianSource=python3.11\n");
        return SourcePin.load(file);
    }

    private SourceResolver resolver(boolean offline) {
        return new SourceResolver(new SourceCache(tmp.resolve("cache"), Log.NONE), new Downloader(Log.NONE), offline, Log.NONE);
    }

    @Test
    void downloadsVerifiesAndCachesThenReusesWithoutNetwork() throws Exception {
        SourcePin pin = pin(url("/missing/a.tgz"), url("/ok/Python-3.11.2.tgz"));

        SourceResolver.Resolved first = resolver(false).resolve(pin, null, "faasm.cpython.archive");
        int afterFirst = requests.get();
        SourceResolver.Resolved second = resolver(true).resolve(pin, null, "faasm.cpython.archive");

        assertEquals(2, afterFirst, "the 404 mirror is skipped and the next URL used");
        assertEquals(afterFirst, requests.get(), "the second resolution uses the cache");
        assertEquals(first.file(), second.file());
        assertEquals(tmp.resolve("cache/sha256/" + SHA + "/Python-3.11.2.tgz"), first.file());
        assertEquals(SHA, Digests.sha256(first.file()));
    }

    @Test
    void anIndexUrlIsFoundOnThePackageIndexsSimplePageThenVerified() throws Exception {
        // PEP 503: /simple/<normalised project>/ lists the release files as anchors (relative or absolute, with #sha256)
        server.createContext("/simple/python/", exchange -> {
            requests.incrementAndGet();
            byte[] page = ("<!DOCTYPE html><html><body>\n<a href=\"../../ok/Python-3.11.1.tgz#sha256=00\">Python-3.11.1.tgz</a><br/>\n"
                    + "<a href=\"../../ok/Python-3.11.2.tgz#sha256=" + SHA + "\" data-requires-python=\"&gt;=3.9\">Python-3.11.2.tgz</a>\n"
                    + "</body></html>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        SourcePin pin = pin("index:Python");
        SourceResolver.Resolved r = resolver(false).withIndex(new PackageIndex(() -> url("/simple"))).resolve(pin, null, "x");
        assertEquals(url("/ok/Python-3.11.2.tgz"), r.origin());
        assertEquals(SHA, Digests.sha256(r.file()));

        FaasmException e = assertThrows(FaasmException.class, () -> new SourceResolver(new SourceCache(tmp.resolve("other"), Log.NONE),
                new Downloader(Log.NONE), false, Log.NONE).withIndex(new PackageIndex(() -> url("/simple"))).resolve(pin("index:Nothing"),
                null, "x"));
        assertTrue(e.getMessage().contains("index:Nothing") && e.getMessage().contains("HTTP 404"), e.getMessage());
    }

    @Test
    void aChecksumMismatchNamesBothDigestsAndCachesNothing() throws Exception {
        served = "tampered".getBytes(StandardCharsets.UTF_8);
        SourcePin pin = pin(url("/ok/Python-3.11.2.tgz"));

        FaasmException e = assertThrows(FaasmException.class, () -> resolver(false).resolve(pin, null, "faasm.cpython.archive"));

        assertTrue(e.getMessage().contains("expected sha256 " + SHA), e.getMessage());
        assertTrue(e.getMessage().contains(Digests.sha256(served)), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("cache/sha256/" + SHA)));
        try (Stream<Path> s = Files.walk(tmp.resolve("cache"))) {
            assertTrue(s.noneMatch(Files::isRegularFile), "no file of any kind is left in the cache");
        }
    }

    @Test
    void offlineWithAnEmptyCacheSaysHowToSupplyTheArchive() throws Exception {
        SourcePin pin = pin(url("/ok/Python-3.11.2.tgz"));

        FaasmException e = assertThrows(FaasmException.class, () -> resolver(true).resolve(pin, null, "faasm.cpython.archive"));

        assertEquals(0, requests.get());
        assertTrue(e.describe().contains("-Dfaasm.cpython.archive=<path>"), e.describe());
        assertTrue(e.describe().contains("apt-get source --download-only python3.11"), e.describe());
    }

    @Test
    void anUnreachableUrlFailsWithTheUrlAndTheOfflineHint() throws Exception {
        int port = server.getAddress().getPort();
        server.stop(0);
        SourcePin pin = pin("http://127.0.0.1:" + port + "/ok/Python-3.11.2.tgz");

        FaasmException e = assertThrows(FaasmException.class, () -> resolver(false).resolve(pin, null, "faasm.cpython.archive"));

        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertTrue(e.describe().contains("-Dfaasm.cpython.archive"), e.describe());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }

    @Test
    void whenEveryUrlFailsTheErrorNamesEachUrlWithItsStatusOrException() throws Exception {
        int dead = server.getAddress().getPort() + 1 == 65536 ? 1 : server.getAddress().getPort() + 1;
        String unresolvable = "http://faasm-python-no-such-host.invalid/Python-3.11.2.tgz";
        SourcePin pin = pin(unresolvable, url("/missing/Python-3.11.2.tgz"), "http://127.0.0.1:" + dead + "/Python-3.11.2.tgz");

        FaasmException e = assertThrows(FaasmException.class, () -> resolver(false).resolve(pin, null, "faasm.cpython.archive"));

        String m = e.getMessage();
        assertTrue(m.contains(unresolvable + ": java.net."), m);
        assertTrue(m.contains(url("/missing/Python-3.11.2.tgz") + ": java.io.IOException: HTTP status 404"), m);
        assertTrue(m.contains("127.0.0.1:" + dead + "/Python-3.11.2.tgz: java.net.ConnectException"), m);
        assertFalse(m.contains("null"), m);
    }

    private SourcePin namedPin(String name, String content, String... urls) throws IOException {
        Path file = tmp.resolve(name + ".properties");
        Files.writeString(file, "name=" + name + "\nversion=1.0\narchive.a.file=" + name + "-1.0.tar.gz\narchive.a.sha256="
                + Digests.sha256(content.getBytes(StandardCharsets.UTF_8)) + "\narchive.a.urls=" + String.join(",", urls) + "\n");
        return SourcePin.load(file);
    }

    @Test
    void everyMissingArchiveIsReportedInOneFailureWithWhereItWasLookedFor() throws Exception {
        int dead = server.getAddress().getPort() + 1 == 65536 ? 1 : server.getAddress().getPort() + 1;
        SourcePin present = pin(url("/ok/Python-3.11.2.tgz"));
        SourcePin notFound = namedPin("numpy", "numpy sources", url("/missing/numpy-1.0.tar.gz"));
        SourcePin unreachable = namedPin("cython", "cython sources", "http://127.0.0.1:" + dead + "/cython-1.0.tar.gz");
        SourceResolver resolver = resolver(false);
        SourceCheck check = new SourceCheck();

        check.attempt(() -> resolver.resolve(notFound, null, "faasm.numpy.archive"));
        check.attempt(() -> resolver.resolve(present, null, "faasm.cpython.archive"));
        check.attempt(() -> resolver.resolve(unreachable, null, "where cython is declared", null));
        SourceCheck.Missing e = assertThrows(SourceCheck.Missing.class, check::complete);

        String m = e.describe();
        assertEquals(2, e.failures().size());
        assertTrue(m.startsWith("2 of the 3 sources this build needs are missing; nothing was compiled:"), m);
        assertTrue(m.contains("1. numpy 1.0 could not be downloaded"), m);
        assertTrue(m.contains("numpy-1.0.tar.gz  sha256 " + Digests.sha256("numpy sources")), m);
        assertTrue(m.contains("a local file: none named (-Dfaasm.numpy.archive=<path>)"), m);
        assertTrue(m.contains("the source cache: " + tmp.resolve("cache/sha256/" + Digests.sha256("numpy sources") + "/numpy-1.0.tar.gz")
                + ": not there"), m);
        assertTrue(m.contains(url("/missing/numpy-1.0.tar.gz") + ": java.io.IOException: HTTP status 404"), m);
        assertTrue(m.contains("2. cython 1.0 could not be downloaded"), m);
        assertTrue(m.contains("127.0.0.1:" + dead + "/cython-1.0.tar.gz: java.net.ConnectException"), m);
        assertTrue(m.contains("put cython-1.0.tar.gz at " + tmp.resolve("cache/sha256/" + Digests.sha256("cython sources")
                + "/cython-1.0.tar.gz")), m);
        assertFalse(m.contains("cpython 3.11.2"), "the archive that was found is not listed");
        assertTrue(Files.isRegularFile(tmp.resolve("cache/sha256/" + SHA + "/Python-3.11.2.tgz")), "what was found is cached");
    }

    @Test
    void offlineTheCheckTriesNoDownloadAndListsEveryArchiveTheCacheLacks() throws Exception {
        SourceCheck check = new SourceCheck();
        SourceResolver resolver = resolver(true);

        SourcePin cpython = pin(url("/ok/Python-3.11.2.tgz"));
        SourcePin zlib = namedPin("zlib", "zlib sources", url("/ok/zlib-1.0.tar.gz"));
        check.attempt(() -> resolver.resolve(cpython, null, "faasm.cpython.archive"));
        check.attempt(() -> resolver.resolve(zlib, null, "faasm.zlib.archive"));
        SourceCheck.Missing e = assertThrows(SourceCheck.Missing.class, check::complete);

        assertEquals(0, requests.get());
        String m = e.describe();
        assertTrue(m.contains("1. cpython 3.11.2 is not in the source cache and Maven is offline"), m);
        assertTrue(m.contains("2. zlib 1.0 is not in the source cache and Maven is offline"), m);
        assertEquals(2, m.split("downloads: none tried, Maven is offline \\(-o\\)", -1).length - 1, m);
        assertTrue(m.contains("-Dfaasm.zlib.archive=<path>") && m.contains("apt-get source --download-only python3.11"), m);
        assertTrue(m.contains("what to do: supply each missing source as its entry says"), m);
    }

    @Test
    void archivesAreTriedInThePinsOrder() throws Exception {
        Path file = tmp.resolve("order.properties");
        Files.writeString(file, "name=zlib\nversion=1\narchives=z,a\narchive.a.file=a.tgz\narchive.a.sha256=" + SHA
                + "\narchive.z.file=z.tgz\narchive.z.sha256=" + SHA + "\n");
        assertEquals(List.of("z", "a"), SourcePin.load(file).archives().stream().map(ArchivePin::id).toList());

        Files.writeString(file, "name=zlib\nversion=1\narchives=b\narchive.a.file=a.tgz\narchive.a.sha256=" + SHA + "\n");
        FaasmException e = assertThrows(FaasmException.class, () -> SourcePin.load(file));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
    }

    @Test
    void aLocalArchiveIsVerifiedAndCached() throws Exception {
        Path local = Files.write(tmp.resolve("python3.11_3.11.2.orig.tar.gz"), CONTENT);
        SourcePin pin = pin(url("/ok/Python-3.11.2.tgz"));

        SourceResolver.Resolved r = resolver(true).resolve(pin, local, "faasm.cpython.archive");

        assertEquals(0, requests.get());
        assertEquals(SHA, Digests.sha256(r.file()));
        assertTrue(r.file().startsWith(tmp.resolve("cache")));
        assertTrue(Files.exists(local), "the user's file is copied, not moved");
    }

    @Test
    void aLocalArchiveWithTheWrongDigestIsRejected() throws Exception {
        Path local = Files.writeString(tmp.resolve("Python-3.11.2.tgz"), "something else");
        SourcePin pin = pin(url("/ok/Python-3.11.2.tgz"));

        FaasmException e = assertThrows(FaasmException.class, () -> resolver(true).resolve(pin, local, "faasm.cpython.archive"));

        assertTrue(e.getMessage().contains("Checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(Digests.sha256(Files.readAllBytes(local))), e.getMessage());
        assertTrue(e.getMessage().contains(SHA), e.getMessage());
        assertTrue(e.where().contains("-Dfaasm.cpython.archive"), e.where());
    }

    @Test
    void aMissingLocalArchiveNamesTheProperty() throws Exception {
        SourcePin pin = pin(url("/ok/Python-3.11.2.tgz"));

        FaasmException e = assertThrows(FaasmException.class,
                () -> resolver(true).resolve(pin, tmp.resolve("nope.tgz"), "faasm.cpython.archive"));

        assertTrue(e.getMessage().contains("does not exist"));
        assertEquals("-Dfaasm.cpython.archive (<cpythonArchive>)", e.where());
    }

    @Test
    void aCorruptedCacheEntryIsEvictedAndFetchedAgain() throws Exception {
        SourcePin pin = pin(url("/ok/Python-3.11.2.tgz"));
        Path cached = resolver(false).resolve(pin, null, "faasm.cpython.archive").file();
        Files.writeString(cached, "bit rot");

        SourceResolver.Resolved again = resolver(false).resolve(pin, null, "faasm.cpython.archive");

        assertEquals(2, requests.get());
        assertEquals(SHA, Digests.sha256(again.file()));
    }

    @Test
    void pinsWithAMalformedDigestAreRejected() throws Exception {
        Path file = tmp.resolve("bad.properties");
        Files.writeString(file, "name=zlib\nversion=1\narchive.a.file=z.tgz\narchive.a.sha256=abc\n");

        FaasmException e = assertThrows(FaasmException.class, () -> SourcePin.load(file));

        assertTrue(e.getMessage().contains("not a sha256"));
    }
}
