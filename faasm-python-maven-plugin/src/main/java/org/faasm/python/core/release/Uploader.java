package org.faasm.python.core.release;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.faasm.python.core.BuildSetting;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Log;

/**
 * Uploads to a Faasm cluster's upload endpoint (the original upload tasks): a Python function to
 * {@code PUT /p/<user>/<func>} and the entrypoint to {@code PUT /f/python/py_func}.
 */
public final class Uploader {
    private final URI endpoint;
    private final HttpClient client;
    private final Log log;

    public Uploader(String endpoint, Log log) {
        try {
            this.endpoint = URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/");
            if (this.endpoint.getScheme() == null || !this.endpoint.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new FaasmException("Upload endpoint '" + endpoint + "' is not an http(s) URL", BuildSetting.UPLOAD_ENDPOINT,
                    "give the upload service's base URL, e.g. http://localhost:8002");
        }
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.log = log;
    }

    public void uploadFunction(String user, String func, Path functionFile) {
        put("p/" + user + "/" + func, functionFile);
    }

    public void uploadEntrypoint(Path pyFuncWasm) {
        put("f/python/py_func", pyFuncWasm);
    }

    private void put(String path, Path file) {
        URI uri = endpoint.resolve(path);
        if (!Files.isRegularFile(file)) {
            throw new FaasmException("Nothing to upload: " + file + " does not exist", file.toString(), "build or point at the file");
        }
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new FaasmException("Upload of " + file.getFileName() + " to " + uri + " was refused: HTTP " + r.statusCode()
                        + (r.body().isBlank() ? "" : " " + r.body().strip()), BuildSetting.UPLOAD_ENDPOINT,
                        "check the endpoint, the user and function names, and the service's log");
            }
            log.info("Uploaded " + file.getFileName() + " (" + Files.size(file) + " bytes) to " + uri);
        } catch (ConnectException e) {
            throw new FaasmException("Cannot reach the upload endpoint " + uri + " (connection refused)", BuildSetting.UPLOAD_ENDPOINT,
                    "start the Faasm upload service or correct the URL", e);
        } catch (IOException e) {
            throw new FaasmException("Upload to " + uri + " failed: " + e, BuildSetting.UPLOAD_ENDPOINT, "check the endpoint", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
