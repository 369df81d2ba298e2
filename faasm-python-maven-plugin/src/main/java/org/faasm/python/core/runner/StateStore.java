package org.faasm.python.core.runner;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Faasm state for one local run: values by key (Faasm keys state by user "python" and key), shared
 * by every call of the run, the way calls on one Faasm host share its state. With a single host the
 * local and the global copy are the same, so push and pull have nothing to move.
 */
public final class StateStore {
    private final Map<String, byte[]> values = new ConcurrentHashMap<>();

    /** Size of the value, 0 when the key has none. */
    public int size(String key) {
        byte[] v = values.get(key);
        return v == null ? 0 : v.length;
    }

    /** The value (a copy), or an empty array. */
    public byte[] get(String key) {
        byte[] v = values.get(key);
        return v == null ? new byte[0] : v.clone();
    }

    /** Replaces the value. */
    public void set(String key, byte[] data) {
        values.put(key, data.clone());
    }

    /** Writes {@code data} at {@code offset} of a value of {@code total} bytes (created zero-filled, grown as needed). */
    public synchronized void setOffset(String key, int total, int offset, byte[] data) {
        byte[] v = values.getOrDefault(key, new byte[0]);
        int size = Math.max(Math.max(v.length, total), offset + data.length);
        byte[] n = Arrays.copyOf(v, size);
        System.arraycopy(data, 0, n, offset, data.length);
        values.put(key, n);
    }

    /** {@code len} bytes at {@code offset}; bytes past the end of the value read as zero. */
    public byte[] getOffset(String key, int offset, int len) {
        byte[] v = values.getOrDefault(key, new byte[0]);
        byte[] out = new byte[Math.max(len, 0)];
        if (offset < v.length) {
            System.arraycopy(v, offset, out, 0, Math.min(len, v.length - offset));
        }
        return out;
    }
}
