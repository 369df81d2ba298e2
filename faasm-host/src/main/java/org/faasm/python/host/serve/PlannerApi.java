package org.faasm.python.host.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.faasm.python.host.util.Log;

/**
 * Faasm's planner HTTP API (faabric's {@code PlannerEndpointHandler}) on the local host: a request
 * is an {@code HttpMessage} whose {@code payload} is a JSON document; {@code EXECUTE_BATCH} starts
 * the batch's calls and {@code EXECUTE_BATCH_STATUS} reports them, with faabric's answers and
 * messages word for word. Unlike faabric, {@code EXECUTE_BATCH} waits a short while, and answers
 * with the whole finished status when the calls end within it (a client that polls still can).
 * Results are kept for the last {@value #KEPT_APPS} finished batches (faabric keeps them until
 * {@code RESET}), so a server that runs for days holds a bounded amount.
 */
public final class PlannerApi {
    /** Finished batches whose results are kept for status requests. */
    static final int KEPT_APPS = 1000;
    static final String BAD_JSON = "Bad JSON in request body";
    static final String BAD_PAYLOAD = "Bad JSON in body's payload";
    static final String BAD_BATCH = "Bad BatchExecRequest";
    static final String NOT_REGISTERED = "App not registered in results";
    static final String UNRECOGNISED = "Unrecognised message type";

    /** An answer: HTTP status and body (text/plain, as faabric sends even JSON). */
    public record Answer(int status, String body) {}

    /** Runs one message of a batch; {@code done} gets the result message (a copy of the message with its outcome). */
    public interface Dispatcher {
        void dispatch(JsonObject message, Consumer<JsonObject> done);

        /** Calls running now, and how many may run at once. */
        int busy();

        int slots();
    }

    /** A batch: its expected messages and the results so far, by message id. */
    private static final class App {
        final int appId;
        int expected;
        final TreeMap<Integer, JsonObject> results = new TreeMap<>();
        final java.util.Set<Integer> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();

        App(int appId) {
            this.appId = appId;
        }

        boolean finished() {
            return results.size() >= expected;
        }
    }

    private final Dispatcher dispatcher;
    private final String host;
    private final long answerWithinMillis;
    private final Log log;
    private final Map<Integer, App> apps = new LinkedHashMap<>();
    private String policy = "bin-pack";
    private final java.util.concurrent.atomic.AtomicInteger lastId = new java.util.concurrent.atomic.AtomicInteger(1_000_000);

    private int nextId() {
        return lastId.incrementAndGet();
    }

    /**
     * @param host the host name results name as main and executing host
     * @param answerWithinMillis how long {@code EXECUTE_BATCH} waits for the calls to end before it answers
     */
    public PlannerApi(Dispatcher dispatcher, String host, long answerWithinMillis, Log log) {
        this.dispatcher = dispatcher;
        this.host = host;
        this.answerWithinMillis = answerWithinMillis;
        this.log = log;
    }

    public Answer handle(String body) {
        if (body == null || body.isEmpty()) {
            return new Answer(400, "Empty request");
        }
        JsonObject msg;
        try {
            msg = Protobuf.parse(body, Protobuf.HTTP_MESSAGE);
        } catch (Protobuf.ParseException e) {
            log.debug("planner: " + e.getMessage());
            return new Answer(400, BAD_JSON);
        }
        String payload = Protobuf.text(msg, "payload");
        switch (Protobuf.int32(msg, "http_type")) {
            case 1: // RESET
                synchronized (this) {
                    apps.clear();
                    policy = "bin-pack";
                }
                return new Answer(200, "Planner fully reset!");
            case 2: // FLUSH_AVAILABLE_HOSTS
                return new Answer(200, "Flushed available hosts!");
            case 3: // FLUSH_EXECUTORS
                return new Answer(200, "Flushed executors!");
            case 4: // FLUSH_SCHEDULING_STATE
                synchronized (this) {
                    apps.clear();
                }
                return new Answer(200, "Flushed scheduling state!");
            case 5: { // GET_AVAILABLE_HOSTS
                JsonObject h = new JsonObject();
                h.addProperty("ip", host);
                h.addProperty("slots", dispatcher.slots());
                if (dispatcher.busy() > 0) {
                    h.addProperty("usedSlots", dispatcher.busy());
                }
                JsonArray hosts = new JsonArray();
                hosts.add(h);
                JsonObject out = new JsonObject();
                out.add("hosts", hosts);
                return new Answer(200, Protobuf.print(out));
            }
            case 6: { // GET_CONFIG
                JsonObject out = new JsonObject();
                out.addProperty("ip", host);
                out.addProperty("hostTimeout", 5);
                out.addProperty("numThreadsHttpServer", dispatcher.slots());
                return new Answer(200, Protobuf.print(out));
            }
            case 7: // GET_EXEC_GRAPH
                return new Answer(500, "Failed getting exec. graph!");
            case 8: // GET_IN_FLIGHT_APPS
                return new Answer(200, inFlight());
            case 10:
                return execute(payload);
            case 11:
                return status(payload);
            case 12: // PRELOAD_SCHEDULING_DECISION: one host here, nothing to decide
                try {
                    Protobuf.parse(payload, Protobuf.BATCH);
                } catch (Protobuf.ParseException e) {
                    return new Answer(400, BAD_JSON);
                }
                return new Answer(200, "Decision pre-loaded to planner");
            case 13: // SET_POLICY
                if (!List.of("bin-pack", "compact", "spot").contains(payload)) {
                    return new Answer(400, "Unrecognised policy name: " + payload);
                }
                synchronized (this) {
                    policy = payload;
                }
                return new Answer(200, "Policy set correctly");
            case 14: // GET_POLICY
                synchronized (this) {
                    return new Answer(200, policy);
                }
            case 15: // SET_NEXT_EVICTED_VM
                synchronized (this) {
                    return policy.equals("spot") ? new Answer(200, "Next evicted VM set")
                            : new Answer(400, "Next evicted VM must only be set in 'spot' policy");
                }
            default:
                return new Answer(400, UNRECOGNISED);
        }
    }

    private synchronized String inFlight() {
        JsonArray list = new JsonArray();
        for (App a : apps.values()) {
            if (!a.finished()) {
                JsonObject o = new JsonObject();
                o.addProperty("appId", a.appId);
                o.addProperty("size", a.expected);
                JsonArray ips = new JsonArray();
                ips.add(host);
                o.add("hostIps", ips);
                list.add(o);
            }
        }
        JsonObject out = new JsonObject();
        if (!list.isEmpty()) {
            out.add("apps", list);
        }
        return Protobuf.print(out);
    }

    /** faabric's {@code isBatchExecRequestValid}. */
    static boolean valid(JsonObject ber) {
        List<JsonObject> messages = Protobuf.messages(ber, "messages");
        int appId = Protobuf.int32(ber, "appId");
        if (messages.isEmpty() && appId == 0) {
            return false;
        }
        String user = Protobuf.text(ber, "user");
        if (user.isEmpty() || Protobuf.text(ber, "function").isEmpty()) {
            return false;
        }
        for (JsonObject m : messages) {
            if (!Protobuf.text(m, "user").equals(user) || Protobuf.text(m, "function").isEmpty() || Protobuf.int32(m, "appId") != appId) {
                return false;
            }
        }
        return true;
    }

    private Answer execute(String payload) {
        JsonObject ber;
        try {
            ber = Protobuf.parse(payload, Protobuf.BATCH);
        } catch (Protobuf.ParseException e) {
            log.debug("planner: " + e.getMessage());
            return new Answer(400, BAD_PAYLOAD);
        }
        if (!valid(ber)) {
            return new Answer(400, BAD_BATCH);
        }
        int appId = Protobuf.int32(ber, "appId");
        List<JsonObject> messages = Protobuf.messages(ber, "messages");
        App app;
        synchronized (this) {
            App known = apps.get(appId);
            if (known == null || known.finished()) {
                // a new batch, or one sent again after it finished (curl): its results start afresh
                apps.remove(appId);
                known = new App(appId);
                apps.put(appId, known);
            }
            app = known;
            app.expected += messages.size();
            forgetOldest();
        }
        long now = System.currentTimeMillis();
        for (JsonObject given : messages) {
            JsonObject m = given;
            if (Protobuf.int32(m, "id") == 0 || app.ids.contains(Protobuf.int32(m, "id"))) {
                // results are kept by message id: a message without one (or with one already in the batch) gets one of its own
                m = Protobuf.with(m, Protobuf.MESSAGE, "id", new JsonPrimitive(nextId()));
            }
            app.ids.add(Protobuf.int32(m, "id"));
            JsonObject started = Protobuf.with(m, Protobuf.MESSAGE, Map.of("mainHost", new JsonPrimitive(host),
                    "start_ts", new JsonPrimitive(Long.toString(now))));
            dispatcher.dispatch(started, result -> {
                synchronized (PlannerApi.this) {
                    app.results.put(Protobuf.int32(result, "id"), result);
                    PlannerApi.this.notifyAll();
                }
            });
        }
        long until = System.currentTimeMillis() + answerWithinMillis;
        synchronized (this) {
            while (!app.finished()) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (app.finished() && !app.results.isEmpty()) {
                return new Answer(200, Protobuf.print(status(app)));
            }
        }
        JsonObject out = new JsonObject();
        if (appId != 0) {
            out.addProperty("appId", appId);
        }
        return new Answer(200, Protobuf.print(out));
    }

    private Answer status(String payload) {
        JsonObject req;
        try {
            req = Protobuf.parse(payload, Protobuf.BATCH_STATUS);
        } catch (Protobuf.ParseException e) {
            log.debug("planner: " + e.getMessage());
            return new Answer(400, BAD_JSON);
        }
        synchronized (this) {
            App app = apps.get(Protobuf.int32(req, "appId"));
            if (app == null || app.results.isEmpty()) {
                return new Answer(500, NOT_REGISTERED);
            }
            return new Answer(200, Protobuf.print(status(app)));
        }
    }

    private JsonObject status(App app) {
        JsonObject out = new JsonObject();
        if (app.appId != 0) {
            out.addProperty("appId", app.appId);
        }
        if (app.finished()) {
            out.addProperty("finished", true);
        }
        JsonArray results = new JsonArray();
        app.results.values().forEach(results::add);
        out.add("messageResults", results);
        return out;
    }

    /** Forgets the oldest finished batches past {@link #KEPT_APPS}. */
    private void forgetOldest() {
        int finished = 0;
        List<Integer> old = new ArrayList<>();
        for (App a : apps.values()) {
            if (a.finished()) {
                finished++;
            }
        }
        for (Iterator<App> it = apps.values().iterator(); it.hasNext() && finished > KEPT_APPS;) {
            App a = it.next();
            if (a.finished()) {
                old.add(a.appId);
                finished--;
            }
        }
        old.forEach(apps::remove);
    }
}
