package org.faasm.python.cpython;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.run.FaasmHost;
import org.faasm.python.host.run.HostOptions;
import org.faasm.python.host.serve.LocalFaasm;
import org.faasm.python.host.state.GlobalState;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.UserCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local Faasm server ({@link LocalFaasm}, what {@code faasm-python:serve} runs) through a real
 * HTTP client, as Faasm's clients speak to it: upload, invoke, poll, chained calls, state, hot
 * reload, concurrency, bad requests, failing guests and memory over many calls.
 */
class LocalFaasmIT {
    private static final Path SYSROOT = Path.of(System.getProperty("faasm.sysrootDirectory", "target/faasm-sysroot"));
    private static final Path FUNCTIONS = Path.of(System.getProperty("faasm.functions", "src/test/faasm-functions"));
    private static final Path CACHE = UserCache.root(null, System.getenv(), System.getProperty("user.home"));
    private static final String ENGINE = System.getProperty("faasm.engine", "auto");
    /**
     * The call timeout: 5 s, or 30 s on the pure-JVM engine, where a call with two chained calls
     * from the 12 MB entrypoint (NumPy 2 linked in) takes 4-12 s here (a new instance per callee).
     */
    private static final int TIMEOUT = ENGINE.equals("chicory") ? 30 : 5;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final AtomicInteger IDS = new AtomicInteger(100000);

    private static Path work;
    private static Path functions;
    private static final ByteArrayOutputStream GUEST = new ByteArrayOutputStream();
    private static LocalFaasm faasm;

    static LocalFaasm start(Path dir, Path functionsDir, GlobalState state, int workers) {
        HostOptions host = new HostOptions(SYSROOT.resolve("wasm/python/py_func/function.wasm"), SYSROOT.resolve("runtime_root"), null,
                "python", null, Set.of(), GUEST, GUEST, CACHE.resolve("code"), CACHE.resolve("zygote"), HostLimits.DEFAULTS.withTimeout(TIMEOUT),
                state, List.of(), null, ENGINE);
        return new LocalFaasm(new LocalFaasm.Options(host, "127.0.0.1", 0, 0, dir.resolve("uploads"), functionsDir, workers,
                Duration.ofSeconds(5), dir.resolve("faasm.ini")));
    }

    @BeforeAll
    static void startServer() throws IOException {
        work = Files.createTempDirectory("local-faasm-it");
        functions = work.resolve("functions");
        FileTrees.copyTree(FUNCTIONS, functions);
        faasm = start(work, functions, null, 2);
    }

    @AfterAll
    static void stopServer() {
        faasm.close();
        FileTrees.deleteRecursively(work);
    }

    record Reply(int status, String body) {}

    static Reply send(String method, int port, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    static Reply planner(String type, String payload) throws Exception {
        JsonObject m = new JsonObject();
        m.addProperty("http_type", type);
        m.addProperty("payload", payload);
        return send("POST", faasm.plannerPort(), "/", m.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The payload faasmctl sends for a Python call: python/py_func with python, py_user, py_func and base64 input_data. */
    static String batch(int appId, String user, String function, String entry, String input) {
        JsonObject msg = new JsonObject();
        msg.addProperty("id", IDS.incrementAndGet());
        msg.addProperty("appId", appId);
        msg.addProperty("user", "python");
        msg.addProperty("function", "py_func");
        if (!input.isEmpty()) {
            msg.addProperty("input_data", Base64.getEncoder().encodeToString(input.getBytes(StandardCharsets.UTF_8)));
        }
        msg.addProperty("python", true);
        msg.addProperty("py_user", user);
        msg.addProperty("py_func", function);
        if (entry != null) {
            msg.addProperty("pythonEntry", entry);
        }
        JsonObject ber = new JsonObject();
        ber.addProperty("appId", appId);
        ber.addProperty("user", "python");
        ber.addProperty("function", "py_func");
        com.google.gson.JsonArray list = new com.google.gson.JsonArray();
        list.add(msg);
        ber.add("messages", list);
        return ber.toString();
    }

    /** Invokes and polls as faasmctl does (at least one status request); the first message result. */
    static JsonObject invoke(String user, String function, String entry, String input) throws Exception {
        int appId = IDS.incrementAndGet();
        Reply r = planner("EXECUTE_BATCH", batch(appId, user, function, entry, input));
        assertEquals(200, r.status(), r.body());
        assertEquals(appId, JsonParser.parseString(r.body()).getAsJsonObject().get("appId").getAsInt(), r.body());
        for (int i = 0; i < 600; i++) {
            Reply s = planner("EXECUTE_BATCH_STATUS", "{\"appId\": " + appId + ", \"expectedNumMessages\": 1}");
            if (s.status() == 200) {
                JsonObject status = JsonParser.parseString(s.body()).getAsJsonObject();
                if (status.has("finished") && status.get("finished").getAsBoolean()) {
                    return status.getAsJsonArray("messageResults").get(0).getAsJsonObject();
                }
            } else {
                assertEquals(500, s.status());
                assertEquals("App not registered in results", s.body());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("app " + appId + " did not finish");
    }

    static String output(JsonObject result) {
        return result.has("output_data") ? result.get("output_data").getAsString() : "";
    }

    static int returnValue(JsonObject result) {
        return result.has("returnValue") ? result.get("returnValue").getAsInt() : 0;
    }

    @Test
    void pingAnswersPong() throws Exception {
        assertEquals(new Reply(200, "PONG"), send("GET", faasm.uploadPort(), "/ping", null));
    }

    @Test
    void theIniFileNamesBothPortsInFaasmsClientFormat() throws Exception {
        String ini = Files.readString(work.resolve("faasm.ini"));
        assertTrue(ini.startsWith("[Faasm]\n"), ini);
        assertTrue(ini.contains("planner_port = " + faasm.plannerPort() + "\n"), ini);
        assertTrue(ini.contains("upload_port = " + faasm.uploadPort() + "\n"), ini);
        assertTrue(ini.contains("upload_host = 127.0.0.1\n") && ini.contains("planner_host = 127.0.0.1\n"), ini);
    }

    @Test
    void anUploadedFunctionRunsWithItsInputAndTheResultHasFaasmsFields() throws Exception {
        String source = "from pyfaasm.core import get_input_len, read_input, write_output\n\n"
                + "def faasm_main():\n    write_output(b'up:' + read_input(get_input_len()))\n";
        assertEquals(new Reply(200, ""), send("PUT", faasm.uploadPort(), "/p/demo/upper", source.getBytes(StandardCharsets.UTF_8)));
        JsonObject r = invoke("demo", "upper", null, "hi there");
        assertEquals("up:hi there", output(r));
        assertEquals(0, returnValue(r));
        assertEquals("py_func", r.get("function").getAsString());
        assertEquals("demo", r.get("py_user").getAsString());
        long start = Long.parseLong(r.get("start_ts").getAsString());
        long finish = Long.parseLong(r.get("finish_ts").getAsString());
        assertTrue(finish >= start && start > 1_600_000_000_000L, r.toString());
        assertEquals("aGkgdGhlcmU=", r.get("input_data").getAsString());
    }

    @Test
    void executeBatchAnswersTheFinishedStatusWhenTheCallEndsWithinTheWait() throws Exception {
        Reply r = planner("EXECUTE_BATCH", batch(4242, "python", "echo", null, "quick"));
        JsonObject status = JsonParser.parseString(r.body()).getAsJsonObject();
        assertTrue(status.get("finished").getAsBoolean(), r.body());
        assertEquals("quick", output(status.getAsJsonArray("messageResults").get(0).getAsJsonObject()));
        // and a client that polls once more (faasmctl does) gets the same
        Reply again = planner("EXECUTE_BATCH_STATUS", "{\"appId\": 4242}");
        assertEquals(200, again.status());
        assertEquals(r.body(), again.body());
    }

    @Test
    void chainedCallsAndTheirOutputsWorkAsInRun() throws Exception {
        JsonObject r = invoke("python", "chain_output", null, "");
        assertEquals("cba;0;1;half done", output(r));
        assertEquals(0, returnValue(r));
    }

    @Test
    void statePutThroughTheUploadServerIsReadByAFunctionAndItsPushIsReadBack() throws Exception {
        assertEquals(200, send("PUT", faasm.uploadPort(), "/s/python/greeting", "hello state".getBytes(StandardCharsets.UTF_8)).status());
        String source = "from pyfaasm.core import read_state, get_state_size, write_state, push_state, write_output\n\n"
                + "def faasm_main():\n"
                + "    v = read_state('greeting', get_state_size('greeting'))\n"
                + "    write_state('answer', v.upper())\n"
                + "    push_state('answer')\n"
                + "    write_output(v)\n";
        send("PUT", faasm.uploadPort(), "/p/python/stateful", source.getBytes(StandardCharsets.UTF_8));
        assertEquals("hello state", output(invoke("python", "stateful", null, "")));
        assertEquals(new Reply(200, "HELLO STATE"), send("GET", faasm.uploadPort(), "/s/python/answer", null));
        assertEquals(new Reply(500, "Empty response"), send("GET", faasm.uploadPort(), "/s/python/nothing-here", null));
    }

    @Test
    void anEditedFunctionTakesEffectOnTheNextCallWithoutANewZygote() throws Exception {
        Path dir = functions.resolve("reloaded");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("function.py"), "from pyfaasm.core import write_output\n\ndef faasm_main():\n    write_output(b'one')\n");
        long zygote = faasm.host().zygoteMillis();
        assertEquals("one", output(invoke("python", "reloaded", null, "")));
        Files.writeString(dir.resolve("function.py"), "from pyfaasm.core import write_output\n\ndef faasm_main():\n    write_output(b'two!')\n");
        assertEquals("two!", output(invoke("python", "reloaded", null, "")));
        // an upload of the same name wins over the directory, and is replaced in turn
        send("PUT", faasm.uploadPort(), "/p/python/reloaded", "from pyfaasm.core import write_output\n\ndef faasm_main():\n    write_output(b'three')\n"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("three", output(invoke("python", "reloaded", null, "")));
        assertEquals(zygote, faasm.host().zygoteMillis(), "no new zygote");
    }

    @Test
    void aFunctionUploadedAfterAGuestLookedForItIsFound() throws Exception {
        String probe = "import os\nfrom pyfaasm.core import write_output\n\n"
                + "def faasm_main():\n    write_output(str(os.path.exists('/pyfuncs/python/later/function.py')).encode())\n";
        send("PUT", faasm.uploadPort(), "/p/python/probe_later", probe.getBytes(StandardCharsets.UTF_8));
        assertEquals("False", output(invoke("python", "probe_later", null, "")));
        send("PUT", faasm.uploadPort(), "/p/python/later", "from pyfaasm.core import write_output\n\ndef faasm_main():\n    write_output(b'here')\n"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("here", output(invoke("python", "later", null, "")), "the read-only mount forgot what it had found missing");
        assertEquals("True", output(invoke("python", "probe_later", null, "")));
    }

    @Test
    void eightClientsTimesFiftyCallsEachGetTheirOwnOutput() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        String input = "client " + client + " call " + i;
                        JsonObject r = invoke("python", "echo", null, input);
                        assertEquals(input, output(r));
                    }
                    return 50;
                }));
            }
            int calls = 0;
            for (Future<Integer> f : done) {
                calls += f.get();
            }
            assertEquals(400, calls);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void badJsonAndInvalidBatchesGetFaabricsAnswers() throws Exception {
        assertEquals(new Reply(400, "Empty request"), send("POST", faasm.plannerPort(), "/", new byte[0]));
        assertEquals(new Reply(400, "Bad JSON in request body"), send("POST", faasm.plannerPort(), "/", "{not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Reply(400, "Bad JSON in request body"),
                send("POST", faasm.plannerPort(), "/", "{\"http_type\": \"EXECUTE_BATCH\", \"junk\": 1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Reply(400, "Unrecognised message type"), planner("NO_TYPE", ""));
        assertEquals(new Reply(400, "Bad JSON in body's payload"), planner("EXECUTE_BATCH", "{\"appId\": 1, \"nonsense\": true}"));
        assertEquals(new Reply(400, "Bad BatchExecRequest"), planner("EXECUTE_BATCH", "{\"appId\": 1, \"user\": \"python\"}"));
        assertEquals(new Reply(400, "Bad BatchExecRequest"), planner("EXECUTE_BATCH", batch(7, "python", "echo", null, "")
                .replaceFirst("\"appId\":7,", "\"appId\":8,")));
        assertEquals(new Reply(500, "App not registered in results"), planner("EXECUTE_BATCH_STATUS", "{\"appId\": 99999999}"));
        assertEquals(400, send("GET", faasm.uploadPort(), "/f/demo/echo", null).status());
        assertEquals(new Reply(400, "Bad URL, expected single path part p/demo"), send("PUT", faasm.uploadPort(), "/p/demo", new byte[] {1}));
    }

    @Test
    void anUnknownFunctionGetsAnErrorResult() throws Exception {
        JsonObject r = invoke("python", "no_such_function", null, "");
        assertEquals(FaasmHost.FAILED, returnValue(r));
        assertTrue(output(r).contains("No Python function python/no_such_function"), output(r));
    }

    @Test
    void aTrapAHangAndAMemoryHogFailOnlyTheirOwnCalls() throws Exception {
        JsonObject trap = invoke("python", "deep_c_recursion", null, "");
        assertEquals(FaasmHost.FAILED, returnValue(trap));
        assertTrue(output(trap).startsWith("before the recursion\n"), output(trap));
        assertTrue(output(trap).contains("faasm: Call of python/deep_c_recursion (faasm_main) failed"), output(trap));
        long t0 = System.nanoTime();
        JsonObject hang = invoke("python", "loop", null, "");
        assertTrue((System.nanoTime() - t0) / 1_000_000_000L < TIMEOUT + 25);
        assertEquals(FaasmHost.FAILED, returnValue(hang));
        assertTrue(output(hang).contains("timeout = " + TIMEOUT + " s"), output(hang));
        JsonObject raises = invoke("python", "raises", null, "");
        assertEquals(1, returnValue(raises));
        assertTrue(output(raises).contains("Traceback (most recent call last)"), output(raises));
        JsonObject hog = invoke("python", "big_alloc", null, "");
        assertEquals(0, returnValue(hog));
        assertEquals("MemoryError", output(hog));
        // the server goes on, with every worker
        Reply hosts = planner("GET_AVAILABLE_HOSTS", "");
        assertEquals("{\"hosts\":[{\"ip\":\"127.0.0.1\",\"slots\":2}]}", hosts.body());
        assertEquals("again", output(invoke("python", "echo", null, "again")));
    }

    @Test
    void residentMemoryDoesNotGrowWithTheNumberOfCalls() throws Exception {
        for (int i = 0; i < 100; i++) {
            invokeQuickly(i);
        }
        long before = residentKiB();
        for (int i = 0; i < 400; i++) {
            invokeQuickly(i);
        }
        long after = residentKiB();
        assertTrue(after - before < 200 * 1024, "resident memory grew from " + before + " KiB to " + after + " KiB over 400 calls");
    }

    private static void invokeQuickly(int i) throws Exception {
        Reply r = planner("EXECUTE_BATCH", batch(IDS.incrementAndGet(), "python", "echo", null, "call " + i));
        assertTrue(r.body().contains("\"output_data\":\"call " + i + "\""), r.body());
    }

    static long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    @Test
    void stateThroughRedisIsSharedWithAnotherServer(@TempDir Path dir) throws Exception {
        try (RedisServer redis = RedisServer.start(dir); GlobalState global = GlobalState.open(redis.url());
                LocalFaasm second = start(dir.resolve("second"), null, global, 1)) {
            String source = "from pyfaasm.core import write_state, push_state, write_output\n\n"
                    + "def faasm_main():\n    write_state('shared', b'kept in redis')\n    push_state('shared')\n    write_output(b'ok')\n";
            assertEquals(200, send("PUT", second.uploadPort(), "/p/python/writer", source.getBytes(StandardCharsets.UTF_8)).status());
            JsonObject m = new JsonObject();
            m.addProperty("http_type", "EXECUTE_BATCH");
            m.addProperty("payload", batch(5151, "python", "writer", null, ""));
            Reply r = send("POST", second.plannerPort(), "/", m.toString().getBytes(StandardCharsets.UTF_8));
            assertTrue(r.body().contains("\"output_data\":\"ok\""), r.body());
            assertEquals("kept in redis", redis.get("python_shared"), "Faasm's key layout: <user>_<key>");
            assertEquals(new Reply(200, "kept in redis"), send("GET", second.uploadPort(), "/s/python/shared", null));
        }
        assertFalse(GUEST.toString(StandardCharsets.UTF_8).contains("\tat "), "no Java stack trace in the guest's streams");
    }
}
