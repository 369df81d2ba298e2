package org.faasm.python.release;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real HTTP Maven repository on loopback: Debian's nginx-light with WebDAV PUT. Locations:
 * {@code /} accepts uploads, {@code /secure/} only with basic auth (deployer / right-password), and
 * {@code /readonly/} serves files but refuses uploads (405), as a repository in maintenance would.
 */
final class LoopbackRepository implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path dir;
    final int port;
    private final Process nginx;

    private LoopbackRepository(Path dir, int port, Process nginx) {
        this.dir = dir;
        this.port = port;
        this.nginx = nginx;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The served files. */
    Path www() {
        return dir.resolve("www");
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    static LoopbackRepository start(Path dir) throws Exception {
        Path binary = Path.of("/usr/sbin/nginx");
        assertTrue(Files.isExecutable(binary), "this test needs Debian's nginx-light package (.ci/run installs it)");
        int port = freePort();
        Files.createDirectories(dir.resolve("www/readonly"));
        Files.createDirectories(dir.resolve("body"));
        Files.writeString(dir.resolve("htpasswd"), "deployer:{PLAIN}right-password\n");
        boolean root = "root".equals(System.getProperty("user.name"));
        Path conf = Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                (root ? "user root;" : ""),
                "daemon off;",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " warn;",
                "events { worker_connections 64; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("body") + ";",
                "  client_max_body_size 0;",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    root " + dir.resolve("www") + ";",
                "    location / {",
                "      dav_methods PUT;",
                "      create_full_put_path on;",
                "      dav_access user:rw group:r all:r;",
                "    }",
                "    location /secure/ {",
                "      auth_basic \"releases\";",
                "      auth_basic_user_file " + dir.resolve("htpasswd") + ";",
                "      dav_methods PUT;",
                "      create_full_put_path on;",
                "    }",
                "    location /readonly/ {",
                "    }",
                "  }",
                "}",
                ""));
        Process nginx = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        LoopbackRepository repo = new LoopbackRepository(dir, port, nginx);
        for (int i = 0; i < 100; i++) {
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create(repo.base() + "/")).build(), HttpResponse.BodyHandlers.discarding());
                return repo;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        nginx.destroy();
        throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("nginx.out")));
    }

    @Override
    public void close() {
        nginx.destroy();
    }
}
