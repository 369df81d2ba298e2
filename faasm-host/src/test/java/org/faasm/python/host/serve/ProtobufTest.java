package org.faasm.python.host.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtobufTest {
    /** The body faasmctl sends for a Python call (Python protobuf's MessageToJson: enum names, spaces). */
    static final String FAASMCTL = "{\"appId\": 123456, \"user\": \"python\", \"function\": \"py_func\", \"messages\": [{\"id\": 654321,"
            + " \"appId\": 123456, \"user\": \"python\", \"function\": \"py_func\", \"input_data\": \"aGkgdGhlcmU=\", \"python\": true,"
            + " \"py_user\": \"demo\", \"py_func\": \"hello\"}]}";

    @Test
    void faasmctlsBatchParsesAndPrintsAsFaabricPrintsIt() throws Exception {
        JsonObject ber = Protobuf.parse(FAASMCTL, Protobuf.BATCH);
        assertEquals("{\"appId\":123456,\"user\":\"python\",\"function\":\"py_func\",\"messages\":[{\"id\":654321,\"appId\":123456,"
                + "\"user\":\"python\",\"function\":\"py_func\",\"input_data\":\"aGkgdGhlcmU=\",\"python\":true,\"py_user\":\"demo\","
                + "\"py_func\":\"hello\"}]}", Protobuf.print(ber));
        assertEquals("hi there", new String(Protobuf.bytes(Protobuf.messages(ber, "messages").get(0), "input_data")));
    }

    @Test
    void protoNamesEnumNamesAndQuotedNumbersAreAcceptedAndDefaultsLeftOut() throws Exception {
        JsonObject m = Protobuf.parse("{\"outputData\": \"x\", \"startTimestamp\": 17, \"type\": \"KILL\", \"returnValue\": \"0\","
                + " \"isPython\": false, \"pythonUser\": \"\", \"chainedMsgIds\": [1, \"2\"]}", Protobuf.MESSAGE);
        assertEquals("{\"type\":1,\"output_data\":\"x\",\"start_ts\":\"17\",\"chainedMsgIds\":[1,2]}", Protobuf.print(m));
        assertEquals("{\"http_type\":11,\"payload\":\"{}\"}",
                Protobuf.print(Protobuf.parse("{\"type\": \"EXECUTE_BATCH_STATUS\", \"payloadJson\": \"{}\"}", Protobuf.HTTP_MESSAGE)));
    }

    @Test
    void unknownFieldsWrongTypesAndBadJsonAreRefused() {
        for (String bad : List.of("{\"junk\": 1}", "{\"id\": \"abc\"}", "{\"id\": 1.5}", "{\"id\": 3000000000}", "{\"python\": 1}",
                "{\"input_data\": \"***\"}", "{\"type\": \"NOPE\"}", "{\"id\": 1} trailing", "[1]", "{'id': 1}")) {
            assertThrows(Protobuf.ParseException.class, () -> Protobuf.parse(bad, Protobuf.MESSAGE), bad);
        }
    }

    @Test
    void printedTextKeepsCharactersThatHtmlEscapingWouldChange() throws Exception {
        JsonObject m = Protobuf.parse("{\"output_data\": \"a<b>=&'\"}", Protobuf.MESSAGE);
        assertEquals("{\"output_data\":\"a<b>=&'\"}", Protobuf.print(m));
    }
}
