package org.faasm.python.host.state;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Faasm state as a host sees it: the host's local copies of values, shared by every call on the host,
 * in front of the {@link GlobalState} tier. As on Faasm, a value missing locally is pulled from the
 * global tier when first read, writes change the local copy, {@code push_state} sends the whole value
 * to the global tier, {@code push_state_partial} only the part written since the last push, and
 * {@code pull_state} refreshes the local copy.
 *
 * <p>The bytes the host holds are bounded ({@code stateSize}): the local copies, and the
 * values of a global tier kept in this process. A local copy is released once pushed whole (the next
 * read pulls it again) and on a delete; a write or a pull that would pass the bound fails, naming it.
 */
public final class StateStore {
    private final String user;
    private final GlobalState global;
    private final long maxBytes;
    private final Map<String, byte[]> local = new HashMap<>();
    /** Per key, the range [from, to) written since the last push. */
    private final Map<String, int[]> dirty = new HashMap<>();
    private long held;

    /** A write or a pull that would make the host hold more than {@code stateSize}. */
    public static final class LimitException extends RuntimeException {
        LimitException(String message) {
            super(message);
        }
    }

    public StateStore(String user, GlobalState global, long maxBytes) {
        this.user = user;
        this.global = global;
        this.maxBytes = maxBytes;
    }

    public GlobalState global() {
        return global;
    }

    /** The bytes of state this host holds: its local copies and the values of an in-process global tier. */
    public synchronized long heldBytes() {
        return held + global.heldBytes();
    }

    /** Makes {@code value} the local copy of {@code key}, within {@code stateSize}. */
    private void keep(String key, byte[] value) {
        long next = fits(key, value.length);
        local.put(key, value);
        held = next;
    }

    /** What the local copies would hold with {@code length} bytes for {@code key}; LimitException past {@code stateSize}. */
    private long fits(String key, long length) {
        byte[] old = local.get(key);
        long next = held - (old == null ? 0 : old.length) + length;
        if (next + global.heldBytes() > maxBytes) {
            throw new LimitException("the state held by the host would be " + mib(next + global.heldBytes()) + " MiB with the "
                    + length + " bytes of key '" + key + "', more than stateSize = " + mib(maxBytes)
                    + " MiB (push values you are done with, or raise stateSize)");
        }
        return next;
    }

    private void release(String key) {
        byte[] old = local.remove(key);
        if (old != null) {
            held -= old.length;
        }
        dirty.remove(key);
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    private byte[] value(String key) {
        byte[] v = local.get(key);
        if (v == null) {
            v = global.get(user, key);
            if (v != null) {
                keep(key, v);
            }
        }
        return v;
    }

    /** Size of the value, 0 when the key has none. */
    public synchronized int size(String key) {
        byte[] v = value(key);
        return v == null ? 0 : v.length;
    }

    /** Size of the value, -1 when the key has none. */
    public synchronized int sizeIfAny(String key) {
        byte[] v = value(key);
        return v == null ? -1 : v.length;
    }

    /** The value (a copy), or an empty array. */
    public synchronized byte[] get(String key) {
        byte[] v = value(key);
        return v == null ? new byte[0] : v.clone();
    }

    /** Replaces the local value. */
    public synchronized void set(String key, byte[] data) {
        fits(key, data.length);
        keep(key, data.clone());
        dirty.put(key, new int[] {0, data.length});
    }

    /**
     * Writes {@code data} at {@code offset} of the value. As in Faasm, {@code total} sizes only a
     * value that does not exist yet (created zero-filled); an existing value keeps its size.
     */
    public synchronized void setOffset(String key, int total, int offset, byte[] data) {
        byte[] v = value(key);
        keep(key, overlay(v == null ? new byte[0] : v, v == null ? total : 0, offset, data));
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

    /** Sends the local value to the global tier, and releases the local copy. */
    public synchronized void push(String key) {
        byte[] v = local.get(key);
        if (v != null) {
            global.set(user, key, v);
            release(key);
        }
    }

    /**
     * Sends the part of the local value written since the last push. The local copy stays: the
     * global value may be shorter than it when the key was new there.
     */
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
            keep(key, v);
            dirty.remove(key);
        }
    }

    /** Deletes the value, here and in the global tier. */
    public synchronized void delete(String key) {
        release(key);
        global.delete(user, key);
    }
}
