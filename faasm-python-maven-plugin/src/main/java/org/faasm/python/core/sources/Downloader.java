package org.faasm.python.core.sources;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.Log;

/** Downloads a URL to a file while computing its sha256, logging progress. */
public final class Downloader {
    private final HttpClient client;
    private final Log log;

    public Downloader(Log log) {
        this.log = log;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** Downloads {@code url} into {@code target} (which must not exist yet) and returns its sha256. */
    public String download(String url, Path target) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + url, e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("HTTP status " + response.statusCode());
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        MessageDigest md = Digests.sha256();
        long done = 0;
        long lastReport = System.nanoTime();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                md.update(buf, 0, n);
                done += n;
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    lastReport = System.nanoTime();
                    log.info("  downloaded " + progress(done, total));
                }
            }
        }
        if (total >= 0 && done != total) {
            throw new IOException("download of " + url + " ended early: " + done + " of " + total + " bytes");
        }
        log.info("  downloaded " + progress(done, total));
        return Digests.hex(md.digest());
    }

    static String progress(long done, long total) {
        String mb = String.format("%.1f MB", done / 1e6);
        if (total <= 0) {
            return mb;
        }
        return mb + String.format(" of %.1f MB (%d%%)", total / 1e6, done * 100 / total);
    }
}
