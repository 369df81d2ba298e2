package org.faasm.python.host.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.faasm.python.host.util.Log;
import org.junit.jupiter.api.Test;

/** The planner protocol, with calls that end when the test says so. */
class PlannerApiTest {
    private final List<Runnable> pending = new ArrayList<>();

    private final PlannerApi.Dispatcher held = new PlannerApi.Dispatcher() {
        @Override
        public void dispatch(JsonObject message, Consumer<JsonObject> done) {
            pending.add(() -> done.accept(Protobuf.with(message, Protobuf.MESSAGE, "output_data", new JsonPrimitive("done"))));
        }

        @Override
        public int busy() {
            return pending.size();
        }

        @Override
        public int slots() {
            return 2;
        }
    };

    private final PlannerApi api = new PlannerApi(held, "127.0.0.1", 0, Log.NONE);

    private static String request(String type, String payload) {
        JsonObject m = new JsonObject();
        m.addProperty("http_type", type);
        m.addProperty("payload", payload);
        return m.toString();
    }

    @Test
    void aBatchIsAcceptedWithItsAppIdAndItsStatusReportedOnceAResultExists() {
        assertEquals(new PlannerApi.Answer(200, "{\"appId\":123456}"), api.handle(request("EXECUTE_BATCH", ProtobufTest.FAASMCTL)));
        String status = request("EXECUTE_BATCH_STATUS", "{\"appId\": 123456, \"expectedNumMessages\": 1}");
        assertEquals(new PlannerApi.Answer(500, "App not registered in results"), api.handle(status));
        pending.forEach(Runnable::run);
        PlannerApi.Answer a = api.handle(status);
        assertEquals(200, a.status());
        assertTrue(a.body().startsWith("{\"appId\":123456,\"finished\":true,\"messageResults\":[{\"id\":654321,\"appId\":123456,"
                + "\"mainHost\":\"127.0.0.1\""), a.body());
        assertTrue(a.body().contains("\"output_data\":\"done\""), a.body());
        assertEquals(a, api.handle(status), "kept after it finished");
        assertEquals(new PlannerApi.Answer(200, "Planner fully reset!"), api.handle(request("RESET", "")));
        assertEquals(500, api.handle(status).status());
    }

    @Test
    void faabricsValidityRules() throws Exception {
        assertTrue(PlannerApi.valid(Protobuf.parse(ProtobufTest.FAASMCTL, Protobuf.BATCH)));
        assertFalse(PlannerApi.valid(Protobuf.parse("{\"user\": \"u\", \"function\": \"f\"}", Protobuf.BATCH)), "no messages, app 0");
        assertFalse(PlannerApi.valid(Protobuf.parse(ProtobufTest.FAASMCTL.replace("\"user\": \"python\", \"function\"", "\"function\""),
                Protobuf.BATCH)), "no user");
        assertFalse(PlannerApi.valid(Protobuf.parse(ProtobufTest.FAASMCTL.replaceFirst("123456", "7"), Protobuf.BATCH)), "app id mismatch");
    }

    @Test
    void otherTypesAnswerAsFaabricDoes() {
        assertEquals(new PlannerApi.Answer(200, "bin-pack"), api.handle(request("GET_POLICY", "")));
        assertEquals(new PlannerApi.Answer(400, "Unrecognised policy name: best"), api.handle(request("SET_POLICY", "best")));
        assertEquals(new PlannerApi.Answer(200, "{}"), api.handle(request("GET_IN_FLIGHT_APPS", "")));
        assertEquals(new PlannerApi.Answer(400, "Unrecognised message type"), api.handle("{\"http_type\": 9}"));
        assertEquals(new PlannerApi.Answer(400, "Empty request"), api.handle(""));
    }

    @Test
    void onlyTheLastThousandFinishedBatchesAreKept() {
        for (int app = 1; app <= PlannerApi.KEPT_APPS + 5; app++) {
            api.handle(request("EXECUTE_BATCH", ProtobufTest.FAASMCTL.replace("123456", Integer.toString(app))));
            pending.forEach(Runnable::run);
            pending.clear();
        }
        assertEquals(500, api.handle(request("EXECUTE_BATCH_STATUS", "{\"appId\": 1}")).status());
        assertEquals(200, api.handle(request("EXECUTE_BATCH_STATUS", "{\"appId\": " + (PlannerApi.KEPT_APPS + 5) + "}")).status());
    }
}
