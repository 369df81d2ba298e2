package org.faasm.python.core.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseTest {
    @TempDir
    Path tmp;

    @Test
    void bumpsEachPartAndKeepsTheSnapshotSuffix() {
        assertEquals("0.1.1-SNAPSHOT", Versions.bump("0.1.0-SNAPSHOT", Versions.Part.PATCH));
        assertEquals("0.2.0", Versions.bump("0.1.7", Versions.Part.MINOR));
        assertEquals("2.0.0", Versions.bump("1.9.3", Versions.Part.MAJOR));
    }

    @Test
    void aVersionThatIsNotSemanticIsRefused() {
        FaasmException e = assertThrows(FaasmException.class, () -> Versions.bump("1.0-beta", Versions.Part.PATCH));
        assertTrue(e.getMessage().contains("not semantic"), e.getMessage());
        assertThrows(FaasmException.class, () -> Versions.Part.parse("huge", "-Dfaasm.bump"));
    }

    @Test
    void aBumpUpdatesEveryPomAndThePythonVersionsButNotOtherProjects() throws Exception {
        Files.writeString(tmp.resolve("pom.xml"), "<project><groupId>org.faasm.python</groupId><version>0.1.0-SNAPSHOT</version>"
                + "<dependency><groupId>other</groupId><version>2.0</version></dependency></project>");
        Files.createDirectories(tmp.resolve("mod/src/main/python/pkg"));
        Files.writeString(tmp.resolve("mod/pom.xml"), "<project><parent><groupId>org.faasm.python</groupId>"
                + "<version>0.1.0-SNAPSHOT</version></parent></project>");
        Files.writeString(tmp.resolve("mod/src/main/python/pyproject.toml"), "[project]\nname = \"pkg\"\nversion = \"0.1.0\"\n");
        Files.writeString(tmp.resolve("mod/src/main/python/pkg/__init__.py"), "__version__ = \"0.1.0\"\n");
        Files.createDirectories(tmp.resolve("mod/target"));
        Files.writeString(tmp.resolve("mod/target/pom.xml"), "<groupId>org.faasm.python</groupId><version>0.1.0-SNAPSHOT</version>");

        List<Versions.Change> changes = Versions.plan(tmp, "org.faasm.python", "0.1.0-SNAPSHOT", "0.2.0-SNAPSHOT");
        Versions.apply(changes);

        assertEquals(4, changes.size());
        assertTrue(Files.readString(tmp.resolve("pom.xml")).contains("<version>0.2.0-SNAPSHOT</version>"));
        assertTrue(Files.readString(tmp.resolve("pom.xml")).contains("<version>2.0</version>"));
        assertTrue(Files.readString(tmp.resolve("mod/pom.xml")).contains("<version>0.2.0-SNAPSHOT</version>"));
        assertTrue(Files.readString(tmp.resolve("mod/src/main/python/pyproject.toml")).contains("version = \"0.2.0\""));
        assertEquals("__version__ = \"0.2.0\"\n", Files.readString(tmp.resolve("mod/src/main/python/pkg/__init__.py")));
        assertTrue(Files.readString(tmp.resolve("mod/target/pom.xml")).contains("0.1.0-SNAPSHOT"), "build output untouched");
    }

    private Git repo() throws Exception {
        Git git = Git.init().setDirectory(tmp.toFile()).call();
        Files.writeString(tmp.resolve("pom.xml"), "<project/>");
        git.add().addFilepattern(".").call();
        git.commit().setMessage("init").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").setSign(false).call();
        return git;
    }

    @Test
    void tagsACleanTreeWithAnAnnotatedTag() throws Exception {
        try (Git git = repo()) {
            assertEquals("v0.1.0", GitTagger.tag(tmp.toFile(), "0.1.0", "Release 0.1.0", false));
            Ref ref = git.getRepository().exactRef("refs/tags/v0.1.0");
            assertNotNull(ref);
            try (RevWalk walk = new RevWalk(git.getRepository())) {
                RevTag tag = walk.parseTag(ref.getObjectId());
                assertEquals("Release 0.1.0", tag.getFullMessage());
            }
        }
    }

    @Test
    void refusesADirtyTreeAndAnExistingTagUnlessForced() throws Exception {
        try (Git git = repo()) {
            GitTagger.tag(tmp.toFile(), "0.1.0", "Release", false);
            FaasmException exists = assertThrows(FaasmException.class, () -> GitTagger.tag(tmp.toFile(), "0.1.0", "Release", false));
            assertTrue(exists.getMessage().contains("Tag v0.1.0 already exists"));

            Files.writeString(tmp.resolve("pom.xml"), "<project>changed</project>");
            FaasmException dirty = assertThrows(FaasmException.class, () -> GitTagger.tag(tmp.toFile(), "0.1.1", "Release", false));
            assertTrue(dirty.getMessage().contains("uncommitted changes") && dirty.getMessage().contains("pom.xml"), dirty.getMessage());
            assertEquals(null, git.getRepository().exactRef("refs/tags/v0.1.1"));

            assertEquals("v0.1.1", GitTagger.tag(tmp.toFile(), "0.1.1", "Release", true));
        }
    }

    @Test
    void uploadsTheFunctionAndTheEntrypointToFaasmsPaths() throws Exception {
        Map<String, byte[]> received = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            received.put(ex.getRequestMethod() + " " + ex.getRequestURI().getPath(), ex.getRequestBody().readAllBytes());
            int code = ex.getRequestURI().getPath().contains("forbidden") ? 403 : 200;
            ex.sendResponseHeaders(code, -1);
            ex.close();
        });
        server.start();
        try {
            Path fn = Files.writeString(tmp.resolve("function.py"), "def faasm_main(): pass\n");
            Path wasm = Files.write(tmp.resolve("py_func.wasm"), new byte[] {0, 'a', 's', 'm'});
            Uploader up = new Uploader("http://127.0.0.1:" + server.getAddress().getPort(), Log.NONE);

            up.uploadFunction("python", "hello", fn);
            up.uploadEntrypoint(wasm);

            assertArrayEquals(Files.readAllBytes(fn), received.get("PUT /p/python/hello"));
            assertArrayEquals(Files.readAllBytes(wasm), received.get("PUT /f/python/py_func"));
            FaasmException refused = assertThrows(FaasmException.class, () -> up.uploadFunction("forbidden", "x", fn));
            assertTrue(refused.getMessage().contains("HTTP 403"), refused.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anEndpointThatIsDownIsNamed() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path fn = Files.writeString(tmp.resolve("function.py"), "x = 1\n");

        FaasmException e = assertThrows(FaasmException.class,
                () -> new Uploader("http://127.0.0.1:" + port, Log.NONE).uploadFunction("python", "f", fn));

        assertTrue(e.getMessage().contains("Cannot reach the upload endpoint http://127.0.0.1:" + port), e.getMessage());
        assertThrows(FaasmException.class, () -> new Uploader("ftp://x", Log.NONE));
    }
}
