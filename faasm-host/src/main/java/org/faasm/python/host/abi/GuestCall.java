package org.faasm.python.host.abi;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/** One call on the host: its function (user and name), entry, input, nesting depth, deadline and output, and the calls it chained. */
public final class GuestCall {
    public final String user;
    public final String function;
    public final String entry;
    public final byte[] input;
    public final int depth;
    public final long deadline;
    public final ByteArrayOutputStream output = new ByteArrayOutputStream();
    /**
     * The outcomes of the calls this call chained, by id: an output is dropped once it was read
     * (await_call_output) or the call awaited (await_call), and all of them when this call ends.
     */
    public final Map<Integer, Chained> results = new HashMap<>();
    public int chained;

    public GuestCall(String user, String function, String entry, byte[] input, int depth, long deadline) {
        this.user = user;
        this.function = function;
        this.entry = entry == null || entry.equals("faasm_main") ? "" : entry;
        this.input = input;
        this.depth = depth;
        this.deadline = deadline;
    }

    public String shownEntry() {
        return entry.isEmpty() ? "faasm_main" : entry;
    }

    /** A finished chained call: its return code, and its output until it is dropped. */
    public static final class Chained {
        final int returnCode;
        byte[] output;

        public Chained(int returnCode, byte[] output) {
            this.returnCode = returnCode;
            this.output = output;
        }
    }
}
