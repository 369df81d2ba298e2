package org.faasm.python.core.runner;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Faasm state as a host sees it: the host's local copies of values, shared by every call on the host,
 * in front of the {@link GlobalState} tier. As on Faasm, a value missing locally is pulled from the
 * global tier when first read, writes change the local copy, {@code push_state} sends the whole value
 * to the global tier, {@code push_state_partial} only the part written since the last push, and
 * {@code pull_state} refreshes the local copy.
 */
public final class StateStore {
    private final String user;
    private final GlobalState global;
    private final Map<String, byte[]> local = new HashMap<>();
    /** Per key, the range [from, to) written since the last push. */
    private final Map<String, int[]> dirty = new HashMap<>();

    public StateStore(String user, GlobalState global) {
        this.user = user;
        this.global = global;
    }

    public GlobalState global() {
        return global;
    }

    private byte[] value(String key) {
        byte[] v = local.get(key);
        if (v == null) {
            v = global.get(user, key);
            if (v != null) {
                local.put(key, v);
            }
        }
        return v;
    }

    /** Size of the value, 0 when the key has none. */
    public synchronized int size(String key) {
        byte[] v = value(key);
        return v == null ? 0 : v.length;
    }

    /** The value (a copy), or an empty array. */
    public synchronized byte[] get(String key) {
        byte[] v = value(key);
        return v == null ? new byte[0] : v.clone();
    }

    /** Replaces the local value. */
    public synchronized void set(String key, byte[] data) {
        local.put(key, data.clone());
        dirty.put(key, new int[] {0, data.length});
    }

    /** Writes {@code data} at {@code offset} of a value of {@code total} bytes (created zero-filled, grown as needed). */
    public synchronized void setOffset(String key, int total, int offset, byte[] data) {
        byte[] v = value(key);
        local.put(key, overlay(v == null ? new byte[0] : v, total, offset, data));
        int[] d = dirty.get(key);
        dirty.put(key, d == null ? new int[] {offset, offset + data.length}
                : new int[] {Math.min(d[0], offset), Math.max(d[1], offset + data.length)});
    }

    /** A copy of {@code value}, zero-filled to at least {@code size} bytes, with {@code data} written at {@code offset}. */
    static byte[] overlay(byte[] value, int size, int offset, byte[] data) {
        byte[] n = Arrays.copyOf(value, Math.max(Math.max(value.length, size), offset + data.length));
        System.arraycopy(data, 0, n, offset, data.length);
        return n;
    }

    /** {@code len} bytes at {@code offset}; bytes past the end of the value read as zero. */
    public synchronized byte[] getOffset(String key, int offset, int len) {
        byte[] v = value(key);
        v = v == null ? new byte[0] : v;
        byte[] out = new byte[Math.max(len, 0)];
        if (offset < v.length) {
            System.arraycopy(v, offset, out, 0, Math.min(len, v.length - offset));
        }
        return out;
    }

    /** Sends the local value to the global tier. */
    public synchronized void push(String key) {
        byte[] v = local.get(key);
        if (v != null) {
            global.set(user, key, v);
            dirty.remove(key);
        }
    }

    /** Sends the part of the local value written since the last push. */
    public synchronized void pushPartial(String key) {
        byte[] v = local.get(key);
        int[] d = dirty.remove(key);
        if (v != null && d != null) {
            global.setRange(user, key, d[0], Arrays.copyOfRange(v, d[0], Math.min(d[1], v.length)));
        }
    }

    /** Replaces the local copy with the global value (when there is one). */
    public synchronized void pull(String key) {
        byte[] v = global.get(user, key);
        if (v != null) {
            local.put(key, v);
            dirty.remove(key);
        }
    }
}
