package org.faasm.python.host.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages of Faasm's HTTP API (faabric's {@code faabric.proto} and {@code planner.proto}) in
 * protobuf's JSON mapping, as faabric reads and writes them: a key is a field's JSON name or its
 * proto name, an unknown key or a value of the wrong type is an error, an enum is a name or a
 * number, an int64 a number or a string, bytes are base64. A parsed message is a {@link JsonObject}
 * in canonical form, as faabric prints it: JSON names in field order, default values left out,
 * enums as numbers, int64 as strings. Strict clients such as faasmctl parse what it prints.
 */
public final class Protobuf {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    enum Kind { INT32, INT64, STRING, BOOL, BYTES, ENUM, INT32_LIST, STRING_LIST, INT32_MAP, STRING_MAP, MESSAGES }

    /** A field: its number, proto and JSON names, kind, and an enum's values or a message list's schema. */
    record Field(int number, String proto, String json, Kind kind, Map<String, Integer> enumValues, Schema messages) {
        static Field of(int number, String proto, String json, Kind kind) {
            return new Field(number, proto, json, kind, null, null);
        }
    }

    /** A message type: its name and fields. */
    public record Schema(String name, List<Field> fields) {
        Field field(String key) {
            for (Field f : fields) {
                if (f.json.equals(key) || f.proto.equals(key)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** A message that does not parse: what is wrong, for the log (the API answers with faabric's words). */
    public static final class ParseException extends Exception {
        ParseException(String message) {
            super(message);
        }
    }

    /** {@code faabric.Message}. */
    public static final Schema MESSAGE = new Schema("faabric.Message", List.of(
            Field.of(1, "id", "id", Kind.INT32),
            Field.of(2, "appId", "appId", Kind.INT32),
            Field.of(3, "appIdx", "appIdx", Kind.INT32),
            Field.of(4, "mainHost", "mainHost", Kind.STRING),
            new Field(5, "type", "type", Kind.ENUM, Map.of("CALL", 0, "KILL", 1, "EMPTY", 2, "FLUSH", 3), null),
            Field.of(6, "user", "user", Kind.STRING),
            Field.of(7, "function", "function", Kind.STRING),
            Field.of(8, "inputData", "input_data", Kind.BYTES),
            Field.of(9, "outputData", "output_data", Kind.STRING),
            Field.of(10, "funcPtr", "funcPtr", Kind.INT32),
            Field.of(11, "returnValue", "returnValue", Kind.INT32),
            Field.of(12, "snapshotKey", "snapshotKey", Kind.STRING),
            Field.of(14, "startTimestamp", "start_ts", Kind.INT64),
            Field.of(15, "resultKey", "resultKey", Kind.STRING),
            Field.of(16, "executesLocally", "executesLocally", Kind.BOOL),
            Field.of(17, "statusKey", "statusKey", Kind.STRING),
            Field.of(18, "executedHost", "executedHost", Kind.STRING),
            Field.of(19, "finishTimestamp", "finish_ts", Kind.INT64),
            Field.of(21, "isPython", "python", Kind.BOOL),
            Field.of(24, "pythonUser", "py_user", Kind.STRING),
            Field.of(25, "pythonFunction", "py_func", Kind.STRING),
            Field.of(26, "pythonEntry", "pythonEntry", Kind.STRING),
            Field.of(27, "groupId", "groupId", Kind.INT32),
            Field.of(28, "groupIdx", "groupIdx", Kind.INT32),
            Field.of(29, "groupSize", "groupSize", Kind.INT32),
            Field.of(30, "isMpi", "mpi", Kind.BOOL),
            Field.of(31, "mpiWorldId", "mpiWorldId", Kind.INT32),
            Field.of(32, "mpiRank", "mpiRank", Kind.INT32),
            Field.of(33, "mpiWorldSize", "mpi_world_size", Kind.INT32),
            Field.of(34, "cmdline", "cmdline", Kind.STRING),
            Field.of(35, "recordExecGraph", "record_exec_graph", Kind.BOOL),
            Field.of(36, "chainedMsgIds", "chainedMsgIds", Kind.INT32_LIST),
            Field.of(37, "intExecGraphDetails", "intExecGraphDetails", Kind.INT32_MAP),
            Field.of(38, "execGraphDetails", "execGraphDetails", Kind.STRING_MAP),
            Field.of(39, "isOmp", "isOmp", Kind.BOOL),
            Field.of(40, "ompNumThreads", "ompNumThreads", Kind.INT32)));

    /** {@code faabric.BatchExecuteRequest}. */
    public static final Schema BATCH = new Schema("faabric.BatchExecuteRequest", List.of(
            Field.of(1, "appId", "appId", Kind.INT32),
            Field.of(2, "groupId", "groupId", Kind.INT32),
            Field.of(3, "user", "user", Kind.STRING),
            Field.of(4, "function", "function", Kind.STRING),
            new Field(5, "type", "type", Kind.ENUM, Map.of("FUNCTIONS", 0, "THREADS", 1, "PROCESSES", 2, "MIGRATION", 3), null),
            Field.of(6, "snapshotKey", "snapshotKey", Kind.STRING),
            new Field(7, "messages", "messages", Kind.MESSAGES, null, MESSAGE),
            Field.of(8, "subType", "subType", Kind.INT32),
            Field.of(9, "contextData", "contextData", Kind.BYTES),
            Field.of(10, "singleHost", "singleHost", Kind.BOOL),
            Field.of(11, "singleHostHint", "singleHostHint", Kind.BOOL),
            Field.of(12, "elasticScaleHint", "elasticScaleHint", Kind.BOOL)));

    /** {@code faabric.BatchExecuteRequestStatus}. */
    public static final Schema BATCH_STATUS = new Schema("faabric.BatchExecuteRequestStatus", List.of(
            Field.of(1, "appId", "appId", Kind.INT32),
            Field.of(2, "finished", "finished", Kind.BOOL),
            new Field(3, "messageResults", "messageResults", Kind.MESSAGES, null, MESSAGE),
            Field.of(4, "expectedNumMessages", "expectedNumMessages", Kind.INT32)));

    /** The values of {@code faabric.planner.HttpMessage.Type}. */
    public static final Map<String, Integer> HTTP_TYPES = httpTypes();

    /** {@code faabric.planner.HttpMessage}. */
    public static final Schema HTTP_MESSAGE = new Schema("faabric.planner.HttpMessage", List.of(
            new Field(1, "type", "http_type", Kind.ENUM, HTTP_TYPES, null),
            Field.of(2, "payloadJson", "payload", Kind.STRING)));

    private static Map<String, Integer> httpTypes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        String[] names = {"NO_TYPE", "RESET", "FLUSH_AVAILABLE_HOSTS", "FLUSH_EXECUTORS", "FLUSH_SCHEDULING_STATE", "GET_AVAILABLE_HOSTS",
            "GET_CONFIG", "GET_EXEC_GRAPH", "GET_IN_FLIGHT_APPS"};
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], i);
        }
        m.put("EXECUTE_BATCH", 10);
        m.put("EXECUTE_BATCH_STATUS", 11);
        m.put("PRELOAD_SCHEDULING_DECISION", 12);
        m.put("SET_POLICY", 13);
        m.put("GET_POLICY", 14);
        m.put("SET_NEXT_EVICTED_VM", 15);
        return Map.copyOf(m);
    }

    private Protobuf() {}

    /** Parses a JSON document strictly (one value, nothing after it) as a message of {@code schema}. */
    public static JsonObject parse(String json, Schema schema) throws ParseException {
        JsonElement e;
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.setStrictness(Strictness.STRICT);
            e = com.google.gson.JsonParser.parseReader(r);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new ParseException("text after the JSON value");
            }
        } catch (IOException | JsonParseException | IllegalStateException ex) {
            throw new ParseException("not JSON: " + ex.getMessage());
        }
        if (!e.isJsonObject()) {
            throw new ParseException(schema.name() + " must be a JSON object");
        }
        return canonical(e.getAsJsonObject(), schema);
    }

    /** A message in canonical form; every key must be a field of {@code schema}. */
    public static JsonObject canonical(JsonObject in, Schema schema) throws ParseException {
        Map<Field, JsonElement> values = new java.util.TreeMap<>(Comparator.comparingInt(Field::number));
        for (Map.Entry<String, JsonElement> e : in.entrySet()) {
            Field f = schema.field(e.getKey());
            if (f == null) {
                throw new ParseException(schema.name() + " has no field '" + e.getKey() + "'");
            }
            if (values.containsKey(f)) {
                throw new ParseException(schema.name() + ": field '" + f.json + "' given twice");
            }
            JsonElement v = value(f, e.getValue(), schema);
            values.put(f, v == null ? JsonNull.INSTANCE : v);
        }
        JsonObject out = new JsonObject();
        values.forEach((f, v) -> {
            if (!v.isJsonNull()) {
                out.add(f.json, v);
            }
        });
        return out;
    }

    /** A field's value in canonical form, or null for its default value. */
    private static JsonElement value(Field f, JsonElement v, Schema schema) throws ParseException {
        if (v.isJsonNull()) {
            return null;
        }
        String where = schema.name() + "." + f.json;
        switch (f.kind) {
            case INT32: {
                int i = (int) integer(v, where, Integer.MIN_VALUE, Integer.MAX_VALUE);
                return i == 0 ? null : new JsonPrimitive(i);
            }
            case INT64: {
                long l = integer(v, where, Long.MIN_VALUE, Long.MAX_VALUE);
                return l == 0 ? null : new JsonPrimitive(Long.toString(l));
            }
            case STRING: {
                String s = string(v, where);
                return s.isEmpty() ? null : new JsonPrimitive(s);
            }
            case BOOL: {
                if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) {
                    throw new ParseException(where + " must be true or false");
                }
                return v.getAsBoolean() ? v : null;
            }
            case BYTES: {
                byte[] b = bytes(string(v, where), where);
                return b.length == 0 ? null : new JsonPrimitive(Base64.getEncoder().encodeToString(b));
            }
            case ENUM: {
                int i;
                if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
                    Integer known = f.enumValues.get(v.getAsString());
                    if (known == null) {
                        throw new ParseException(where + ": no value named '" + v.getAsString() + "'");
                    }
                    i = known;
                } else {
                    i = (int) integer(v, where, Integer.MIN_VALUE, Integer.MAX_VALUE);
                }
                return i == 0 ? null : new JsonPrimitive(i);
            }
            case INT32_LIST: {
                JsonArray out = new JsonArray();
                for (JsonElement e : array(v, where)) {
                    out.add((int) integer(e, where, Integer.MIN_VALUE, Integer.MAX_VALUE));
                }
                return out.isEmpty() ? null : out;
            }
            case STRING_LIST: {
                JsonArray out = new JsonArray();
                for (JsonElement e : array(v, where)) {
                    out.add(string(e, where));
                }
                return out.isEmpty() ? null : out;
            }
            case INT32_MAP:
            case STRING_MAP: {
                if (!v.isJsonObject()) {
                    throw new ParseException(where + " must be a JSON object");
                }
                JsonObject out = new JsonObject();
                for (Map.Entry<String, JsonElement> e : v.getAsJsonObject().entrySet()) {
                    out.add(e.getKey(), f.kind == Kind.INT32_MAP
                            ? new JsonPrimitive((int) integer(e.getValue(), where, Integer.MIN_VALUE, Integer.MAX_VALUE))
                            : new JsonPrimitive(string(e.getValue(), where)));
                }
                return out.isEmpty() ? null : out;
            }
            case MESSAGES: {
                JsonArray out = new JsonArray();
                for (JsonElement e : array(v, where)) {
                    if (!e.isJsonObject()) {
                        throw new ParseException(where + " must hold JSON objects");
                    }
                    out.add(canonical(e.getAsJsonObject(), f.messages));
                }
                return out.isEmpty() ? null : out;
            }
            default:
                throw new IllegalStateException(f.kind.toString());
        }
    }

    private static long integer(JsonElement v, String where, long min, long max) throws ParseException {
        if (v.isJsonPrimitive() && (v.getAsJsonPrimitive().isNumber() || v.getAsJsonPrimitive().isString())) {
            try {
                java.math.BigDecimal d = new java.math.BigDecimal(v.getAsString().trim());
                long l = d.longValueExact();
                if (l >= min && l <= max) {
                    return l;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // not an integer in range: said below
            }
        }
        throw new ParseException(where + " must be an integer in [" + min + ", " + max + "], not " + v);
    }

    private static String string(JsonElement v, String where) throws ParseException {
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw new ParseException(where + " must be a string, not " + v);
        }
        return v.getAsString();
    }

    private static JsonArray array(JsonElement v, String where) throws ParseException {
        if (!v.isJsonArray()) {
            throw new ParseException(where + " must be a JSON array");
        }
        return v.getAsJsonArray();
    }

    /** Standard or URL-safe base64, with or without padding. */
    static byte[] bytes(String s, String where) throws ParseException {
        try {
            String t = s.replace('-', '+').replace('_', '/');
            return Base64.getDecoder().decode(t.length() % 4 == 0 ? t : t + "=".repeat(4 - t.length() % 4));
        } catch (IllegalArgumentException e) {
            throw new ParseException(where + " is not base64: " + e.getMessage());
        }
    }

    /** Compact JSON, as faabric prints it. */
    public static String print(JsonObject canonical) {
        return GSON.toJson(canonical);
    }

    /** A canonical message with {@code value} set (or cleared when it is a default value), in field order. */
    public static JsonObject with(JsonObject message, Schema schema, String field, JsonElement value) {
        return with(message, schema, Map.of(field, value));
    }

    /** A canonical message with these fields set (or cleared where a value is the default), in field order. */
    public static JsonObject with(JsonObject message, Schema schema, Map<String, JsonElement> values) {
        JsonObject copy = message.deepCopy();
        values.forEach(copy::add);
        try {
            return canonical(copy, schema);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The string value of a field, or "" when it has the default. */
    public static String text(JsonObject message, String field) {
        JsonElement e = message.get(field);
        return e == null ? "" : e.getAsString();
    }

    /** The int value of a field, or 0. */
    public static int int32(JsonObject message, String field) {
        JsonElement e = message.get(field);
        return e == null ? 0 : e.getAsInt();
    }

    /** The decoded bytes of a bytes field. */
    public static byte[] bytes(JsonObject message, String field) {
        JsonElement e = message.get(field);
        return e == null ? new byte[0] : Base64.getDecoder().decode(e.getAsString());
    }

    /** The messages of a repeated message field. */
    public static List<JsonObject> messages(JsonObject message, String field) {
        List<JsonObject> out = new ArrayList<>();
        JsonElement e = message.get(field);
        if (e != null) {
            e.getAsJsonArray().forEach(m -> out.add(m.getAsJsonObject()));
        }
        return out;
    }
}
