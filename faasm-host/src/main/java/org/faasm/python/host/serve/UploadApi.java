package org.faasm.python.host.serve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.state.GlobalState;

/**
 * Faasm's upload HTTP API (faasm's {@code UploadEndpointHandler}) on the local host: {@code GET /ping},
 * Python functions ({@code PUT /p/<user>/<function>}) and state values ({@code GET} and {@code PUT
 * /s/<user>/<key>}), with Faasm's answers and messages. Wasm uploads ({@code /f/}) and shared
 * files ({@code /file}) are refused with a message: the local host runs Python functions on its own
 * entrypoint.
 */
public final class UploadApi {
    /** An answer: HTTP status and body. */
    public record Answer(int status, byte[] body) {
        static Answer text(int status, String body) {
            return new Answer(status, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final FunctionStore functions;
    private final GlobalState state;

    public UploadApi(FunctionStore functions, GlobalState state) {
        this.functions = functions;
        this.state = state;
    }

    /** Faasm's path parts: no query string, no leading or trailing '/', repeated '/' as one. */
    static List<String> parts(String path) {
        String p = path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        List<String> out = new ArrayList<>();
        for (String s : p.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    public Answer handle(String method, String path, byte[] body) {
        List<String> parts = parts(path);
        String relative = String.join("/", parts);
        boolean get = method.equals("GET");
        if (!get && !method.equals("PUT")) {
            return Answer.text(405, "Unrecognised request method " + method + " (the upload server takes GET and PUT)");
        }
        String first = parts.isEmpty() ? "" : parts.get(0);
        if (get && relative.equals("ping")) {
            return Answer.text(200, "PONG");
        }
        if (first.equals("file")) {
            return Answer.text(400, "Shared files (/file) are not kept by the local Faasm: put the file beside function.py, where the"
                    + " function reads it under /pyfuncs/<user>/<function>/");
        }
        if (first.equals("f") && !get) {
            return Answer.text(400, "The local Faasm runs Python functions on its own entrypoint (python/py_func), not uploaded wasm:"
                    + " upload Python source with PUT /p/<user>/<function>");
        }
        boolean known = first.equals("s") || (!get && first.equals("p"));
        if (!known) {
            return Answer.text(400, "Unrecognised " + method + " request to " + relative);
        }
        if (parts.size() < 3) {
            return Answer.text(400, "Bad URL, expected single path part " + relative);
        }
        String user = parts.get(1);
        String name = parts.get(2);
        try {
            if (first.equals("p")) {
                functions.upload(user, name, body);
                return Answer.text(200, "");
            }
            org.faasm.python.host.wasi.GuestMounts.checkNames(user, "state");
            if (get) {
                byte[] v = state.get(user, name);
                return v == null || v.length == 0 ? Answer.text(500, "Empty response") : new Answer(200, v);
            }
            if (body.length > 0) {
                state.set(user, name, body);
            }
            return Answer.text(200, "");
        } catch (FaasmException e) {
            return Answer.text(400, e.getMessage());
        }
    }
}
