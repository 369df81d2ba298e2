package org.faasm.python.host.abi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.state.StateStore;
import run.endive.runtime.HostFunction;
import run.endive.runtime.Instance;
import run.endive.runtime.WasmFunctionHandle;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * The Faasm host interface of one instance: the {@code env.__faasm_*} functions with Faasm's
 * semantics (input, output, state, chaining, names, conf flags). Every value the guest passes is
 * checked before it is used (a pointer and length against the guest's memory, a string's length,
 * a state segment against the value); a bad one fails the call with a message naming the function.
 */
public final class FaasmAbi {
    /** The longest state key or name read from the guest. */
    private static final int MAX_STRING = 4096;
    /** What {@code __faasm_await_call_output} gives for a call whose output was dropped when it was awaited. */
    public static final int AWAITED = -2;
    /** The return code of a call that failed in the host, and what {@code __faasm_await_call} gives for an id the caller did not chain. */
    public static final int FAILED = 1;

    /** An instance whose calls these functions serve. */
    public interface Caller {
        /** The call the instance runs now. */
        GuestCall call();
    }

    /** What the host functions reach of their host. */
    public interface Host {
        HostLimits limits();

        /** The state of a user's functions. */
        StateStore state(String user);

        Set<String> confFlags();

        /** A new chained call's id, unique on the host. */
        int nextCallId();

        /** Runs a chained call of {@code entry} for the call {@code caller} runs; its outcome. */
        GuestCall.Chained chain(Caller caller, String entry, byte[] input);
    }

    private final Host host;

    public FaasmAbi(Host host) {
        this.host = host;
    }

    private static FunctionType type(int params, int results) {
        List<ValType> p = Collections.nCopies(params, ValType.I32);
        List<ValType> r = Collections.nCopies(results, ValType.I32);
        return FunctionType.of(p, r);
    }

    /** A host function; a state limit it reaches fails the call with a message naming the function. */
    private static HostFunction fn(String name, int params, int results, WasmFunctionHandle handle) {
        return new HostFunction("env", name, type(params, results), (inst, a) -> {
            try {
                return handle.apply(inst, a);
            } catch (StateStore.LimitException e) {
                throw new GuestError(name + ": " + e.getMessage());
            }
        });
    }

    /** A guest pointer: an unsigned 32-bit address. */
    private static long address(long value) {
        return value & 0xFFFFFFFFL;
    }

    /** The guest's linear memory in bytes. */
    private static long memoryBytes(Instance inst) {
        return (long) inst.memory().pages() * 65536;
    }

    /** Checks that [ptr, ptr+len) lies in the guest's memory; len must not be negative. */
    private static int range(Instance inst, String fn, String what, long ptr, long len) {
        if (len < 0) {
            throw new GuestError(fn + ": the " + what + " length " + len + " is negative");
        }
        long size = memoryBytes(inst);
        long at = address(ptr);
        if (at + len > size) {
            throw new GuestError(fn + ": the " + what + " [" + at + ", " + (at + len) + ") lies outside the guest's " + size
                    + " bytes of memory");
        }
        return (int) at;
    }

    private static int nonNegative(String fn, String what, long value) {
        if (value < 0) {
            throw new GuestError(fn + ": the " + what + " " + value + " is negative");
        }
        return (int) value;
    }

    /** A NUL-terminated UTF-8 string from the guest, at most {@value #MAX_STRING} bytes. */
    private static String cString(Instance inst, String fn, String what, long ptr) {
        long size = memoryBytes(inst);
        long at = address(ptr);
        if (at >= size) {
            throw new GuestError(fn + ": the " + what + " pointer " + at + " lies outside the guest's memory");
        }
        byte[] b = inst.memory().readBytes((int) at, (int) Math.min(MAX_STRING + 1, size - at));
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return new String(b, 0, i, StandardCharsets.UTF_8);
            }
        }
        throw new GuestError(fn + ": the " + what + " is not a NUL-terminated string of at most " + MAX_STRING + " bytes");
    }

    /** A state key: a string, not empty (Faasm refuses an empty user or key). */
    private static String stateKey(Instance inst, String fn, long ptr) {
        String key = cString(inst, fn, "key", ptr);
        if (key.isEmpty()) {
            throw new GuestError(fn + ": the state key is empty (Faasm refuses an empty key)");
        }
        return key;
    }

    private static void writeName(Instance inst, String fn, long ptr, long len, String value) {
        if (len <= 0) {
            return;
        }
        int at = range(inst, fn, "buffer", ptr, len);
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(b.length, len - 1);
        byte[] out = new byte[n + 1];
        System.arraycopy(b, 0, out, 0, n);
        inst.memory().write(at, out);
    }

    /** A state value's total length: not negative and no larger than the guest's memory limit. */
    private int total(String fn, long total) {
        nonNegative(fn, "total length", total);
        if (total > (long) host.limits().memoryPages() * 65536) {
            throw new GuestError(fn + ": the total length " + total + " is larger than the guest's memory limit (memory = "
                    + host.limits().memoryMiB() + " MiB)");
        }
        return (int) total;
    }

    /** The arguments (key, total, offset, buffer, length) of the state functions that work on a segment, checked. */
    private record Segment(String key, int total, int offset, int at, int length) {}

    /**
     * As in faabric, the total length sizes only a value that does not exist yet; an existing value
     * keeps its size, and the segment must lie within it.
     */
    private Segment segment(Caller w, Instance inst, String fn, long[] a) {
        String key = stateKey(inst, fn, a[0]);
        int total = total(fn, a[1]);
        int offset = nonNegative(fn, "offset", a[2]);
        int at = range(inst, fn, "buffer", a[3], a[4]);
        int existing = host.state(w.call().user).sizeIfAny(key);
        int size = existing >= 0 ? existing : total;
        if (offset + a[4] > size) {
            throw new GuestError(fn + ": offset " + offset + " + length " + a[4] + " is past the value's " + (existing >= 0
                    ? "size " + size + " (it exists: the total length given, " + total + ", sizes only a new value)" : "total length " + size));
        }
        return new Segment(key, total, offset, at, (int) a[4]);
    }

    public List<HostFunction> functions(Caller w) {
        List<HostFunction> f = new ArrayList<>();
        f.add(fn("__faasm_read_input", 2, 1, (inst, a) -> {
            byte[] in = w.call().input;
            if (a[1] == 0) {
                return new long[] {in.length};
            }
            int at = range(inst, "__faasm_read_input", "buffer", a[0], a[1]);
            int n = (int) Math.min(a[1], in.length);
            inst.memory().write(at, in, 0, n);
            return new long[] {n};
        }));
        f.add(fn("__faasm_write_output", 2, 0, (inst, a) -> {
            if (a[1] > host.limits().maxOutputBytes()) {
                throw new GuestError("__faasm_write_output: the output of " + a[1] + " bytes is larger than maxOutputBytes = "
                        + host.limits().maxOutputBytes());
            }
            int at = range(inst, "__faasm_write_output", "output", a[0], a[1]);
            byte[] data = inst.memory().readBytes(at, (int) a[1]);
            w.call().output.reset();
            w.call().output.writeBytes(data);
            return null;
        }));
        f.add(fn("__faasm_read_state", 3, 1, (inst, a) -> {
            String fnName = "__faasm_read_state";
            String key = stateKey(inst, fnName, a[0]);
            int size = host.state(w.call().user).size(key);
            if (a[2] == 0) {
                return new long[] {size};
            }
            int at = range(inst, fnName, "buffer", a[1], a[2]);
            inst.memory().write(at, host.state(w.call().user).getOffset(key, 0, (int) a[2]));
            return new long[] {Math.min(size, (int) a[2])};
        }));
        f.add(fn("__faasm_read_state_offset", 5, 0, (inst, a) -> {
            Segment s = segment(w, inst, "__faasm_read_state_offset", a);
            inst.memory().write(s.at(), host.state(w.call().user).getOffset(s.key(), s.offset(), s.length()));
            return null;
        }));
        f.add(fn("__faasm_write_state", 3, 0, (inst, a) -> {
            String fnName = "__faasm_write_state";
            String key = stateKey(inst, fnName, a[0]);
            int at = range(inst, fnName, "data", a[1], a[2]);
            host.state(w.call().user).set(key, inst.memory().readBytes(at, (int) a[2]));
            return null;
        }));
        f.add(fn("__faasm_write_state_offset", 5, 0, (inst, a) -> {
            Segment s = segment(w, inst, "__faasm_write_state_offset", a);
            host.state(w.call().user).setOffset(s.key(), s.total(), s.offset(), inst.memory().readBytes(s.at(), s.length()));
            return null;
        }));
        f.add(fn("__faasm_push_state", 1, 0, (inst, a) -> {
            host.state(w.call().user).push(stateKey(inst, "__faasm_push_state", a[0]));
            return null;
        }));
        f.add(fn("__faasm_push_state_partial", 1, 0, (inst, a) -> {
            host.state(w.call().user).pushPartial(stateKey(inst, "__faasm_push_state_partial", a[0]));
            return null;
        }));
        f.add(fn("__faasm_pull_state", 2, 0, (inst, a) -> {
            String key = stateKey(inst, "__faasm_pull_state", a[0]);
            nonNegative("__faasm_pull_state", "length", a[1]);
            host.state(w.call().user).pull(key);
            return null;
        }));
        f.add(fn("__faasm_chain_py", 3, 1, (inst, a) -> {
            String fnName = "__faasm_chain_py";
            String entry = cString(inst, fnName, "entry", a[0]);
            int at = range(inst, fnName, "input", a[1], a[2]);
            byte[] input = inst.memory().readBytes(at, (int) a[2]);
            int id = host.nextCallId();
            GuestCall caller = w.call();
            GuestCall.Chained r = host.chain(w, entry, input);
            caller.results.put(id, r);
            return new long[] {id};
        }));
        f.add(fn("__faasm_await_call", 1, 1, (inst, a) -> {
            GuestCall.Chained r = w.call().results.get((int) a[0]);
            if (r == null) {
                return new long[] {FAILED};
            }
            r.output = null; // awaited: its output is no longer kept
            return new long[] {r.returnCode};
        }));
        f.add(fn("__faasm_await_call_output", 3, 1, (inst, a) -> {
            GuestCall.Chained r = w.call().results.get((int) a[0]);
            if (r == null) {
                return new long[] {-1};
            }
            if (r.output == null) {
                return new long[] {AWAITED};
            }
            byte[] out = r.output;
            if (a[2] == 0) {
                if (out.length == 0) {
                    r.output = null;
                }
                return new long[] {out.length};
            }
            int at = range(inst, "__faasm_await_call_output", "buffer", a[1], a[2]);
            int n = (int) Math.min(a[2], out.length);
            inst.memory().write(at, out, 0, n);
            r.output = null; // read: dropped
            return new long[] {n};
        }));
        f.add(fn("__faasm_get_py_user", 2, 0, (inst, a) -> {
            GuestCall c = w.call();
            writeName(inst, "__faasm_get_py_user", a[0], a[1], c == null ? "" : c.user);
            return null;
        }));
        f.add(fn("__faasm_get_py_func", 2, 0, (inst, a) -> {
            GuestCall c = w.call();
            writeName(inst, "__faasm_get_py_func", a[0], a[1], c == null ? "" : c.function);
            return null;
        }));
        f.add(fn("__faasm_get_py_entry", 2, 0, (inst, a) -> {
            GuestCall c = w.call();
            writeName(inst, "__faasm_get_py_entry", a[0], a[1], c == null ? "" : c.entry);
            return null;
        }));
        f.add(fn("__faasm_conf_flag", 1, 1, (inst, a) -> {
            String flag = cString(inst, "__faasm_conf_flag", "flag", a[0]);
            boolean on = flag.equals("ALWAYS_ON") || (!flag.equals("ALWAYS_OFF") && host.confFlags().contains(flag));
            return new long[] {on ? 1 : 0};
        }));
        return f;
    }

}
