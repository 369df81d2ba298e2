package org.faasm.python.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * './mvnw deploy' of the reactor's artifacts to a real HTTP Maven repository (Debian's nginx-light
 * with WebDAV PUT, on loopback), then resolved back through the repository layout and compared
 * byte for byte with what the build produced.
 */
class DeployToHttpRepositoryIT {
    private static final Path ROOT = Path.of(System.getProperty("faasm.root", "..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("faasm.version", "0.1.0-SNAPSHOT");
    private static final HttpClient HTTP = LoopbackRepository.HTTP;

    @TempDir
    static Path tmp;

    private static LoopbackRepository repository;

    @BeforeAll
    static void startNginx() throws Exception {
        repository = LoopbackRepository.start(tmp);
    }

    @AfterAll
    static void stopNginx() {
        if (repository != null) {
            repository.close();
        }
    }

    static String base() {
        return repository.base();
    }

    private static int mvn(Path log, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-B", "-ntp",
                "-Dmaven.repo.local=" + System.getProperty("faasm.localRepository")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "mvn timed out");
        return p.exitValue();
    }

    private static byte[] get(String path) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), "GET " + path);
        return r.body();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void deployedArtifactsResolveBackByteForByte() throws Exception {
        Path log = tmp.resolve("deploy.log");
        // the plugin is part of the release, and a fresh local repository does not have it yet
        int exit = mvn(log, "deploy", "-pl", "faasm-host,faasm-python-maven-plugin,pyfaasm-module,modules-module,cpython-module", "-DskipTests", "-Dfaasm.image.skip=true",
                "-DaltDeploymentRepository=it-local::" + base() + "/maven");
        assertEquals(0, exit, "deploy failed:\n" + tail(log));

        String dir = "/maven/org/faasm/python/cpython-module/" + VERSION + "/";
        String metadata = new String(get(dir + "maven-metadata.xml"), StandardCharsets.UTF_8);
        for (String[] artifact : new String[][] {{"sysroot", "tar.gz", "cpython-module-" + VERSION + "-sysroot.tar.gz"},
                {"py_func", "wasm", "cpython-module-" + VERSION + "-py_func.wasm"},
                {"python", "wasm", "cpython-module-" + VERSION + "-python.wasm"}}) {
            Matcher m = Pattern.compile("<classifier>" + artifact[0] + "</classifier>\\s*<extension>" + Pattern.quote(artifact[1])
                    + "</extension>\\s*<value>([^<]+)</value>").matcher(metadata);
            assertTrue(m.find(), artifact[0] + " missing from " + metadata);
            String file = dir + "cpython-module-" + m.group(1) + "-" + artifact[0] + "." + artifact[1];
            byte[] remote = get(file);
            byte[] local = Files.readAllBytes(ROOT.resolve("cpython-module/target/" + artifact[2]));
            assertEquals(sha256(local), sha256(remote), file);
            String sha1 = new String(get(file + ".sha1"), StandardCharsets.US_ASCII).trim();
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(remote)), sha1);
        }
        String wheelDir = "/maven/org/faasm/python/pyfaasm-module/" + VERSION + "/";
        String wheelMeta = new String(get(wheelDir + "maven-metadata.xml"), StandardCharsets.UTF_8);
        Matcher w = Pattern.compile("<extension>whl</extension>\\s*<value>([^<]+)</value>").matcher(wheelMeta);
        assertTrue(w.find(), wheelMeta);
        byte[] wheel = get(wheelDir + "pyfaasm-module-" + w.group(1) + ".whl");
        assertEquals(sha256(Files.readAllBytes(ROOT.resolve("pyfaasm-module/target/pyfaasm-0.1.0.dev0-py3-none-any.whl"))), sha256(wheel));

        String modulesDir = "/maven/org/faasm/python/modules-module/" + VERSION + "/";
        String modulesMeta = new String(get(modulesDir + "maven-metadata.xml"), StandardCharsets.UTF_8);
        Matcher mm = Pattern.compile("<extension>tar.gz</extension>\\s*<value>([^<]+)</value>").matcher(modulesMeta);
        assertTrue(mm.find(), modulesMeta);
        byte[] modules = get(modulesDir + "modules-module-" + mm.group(1) + ".tar.gz");
        assertEquals(sha256(Files.readAllBytes(ROOT.resolve("modules-module/target/modules-module-" + VERSION + ".tar.gz"))), sha256(modules));
    }

    @Test
    void anUnreachableRepositoryFailsTheDeployNamingIt() throws Exception {
        int closed = LoopbackRepository.freePort();
        Path log = tmp.resolve("deploy-unreachable.log");
        int exit = mvn(log, "deploy", "-pl", "faasm-host", "-DskipTests",
                "-DaltDeploymentRepository=down::http://127.0.0.1:" + closed + "/maven");
        assertNotEquals(0, exit);
        String text = Files.readString(log);
        assertTrue(text.contains("127.0.0.1:" + closed), tail(log));
    }

    @Test
    void wrongCredentialsFailTheDeployAndPublishNothing() throws Exception {
        Path settings = Files.writeString(tmp.resolve("settings.xml"), "<settings><servers><server><id>secure</id>"
                + "<username>deployer</username><password>wrong-password</password></server></servers></settings>");
        Path log = tmp.resolve("deploy-unauthorized.log");
        int exit = mvn(log, "-s", settings.toString(), "deploy", "-pl", "faasm-host", "-DskipTests",
                "-DaltDeploymentRepository=secure::" + base() + "/secure/maven");
        assertNotEquals(0, exit);
        assertTrue(Files.readString(log).contains("401"), tail(log));
        assertTrue(Files.notExists(tmp.resolve("www/secure")), "nothing was published");
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
