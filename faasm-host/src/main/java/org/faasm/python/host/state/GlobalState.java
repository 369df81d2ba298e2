package org.faasm.python.host.state;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostSetting;

/**
 * Faasm's global state tier: where a pushed value lives beyond the host that wrote it. On a Faasm
 * cluster that is Redis; here it is Redis too ({@code redis://host:port[/db]}), or, by default, a
 * map that lasts for one run. Values are keyed by user and key.
 */
public interface GlobalState extends AutoCloseable {
    /** The tier that lasts one run (or server), in this process: the default. */
    String MEMORY = "memory";

    /** The value, or null when the key has none. */
    byte[] get(String user, String key);

    /** Replaces the value. */
    void set(String user, String key, byte[] value);

    /** Writes {@code data} at {@code offset} of the value (zero-filled up to it when shorter). */
    void setRange(String user, String key, int offset, byte[] data);

    /** Deletes the value. */
    void delete(String user, String key);

    /** The bytes of values this tier keeps in this process (0 for a tier elsewhere, such as Redis). */
    default long heldBytes() {
        return 0;
    }

    /** Where the values are kept, for messages. */
    String describe();

    @Override
    void close();

    /**
     * The tier named by {@code url}: null, empty or {@code memory} for one run's memory, else a
     * {@code redis://} URL (checked now: a Redis that does not answer fails here, naming the URL).
     */
    static GlobalState open(String url) {
        if (url == null || url.isBlank() || url.equals(MEMORY)) {
            return new InMemory();
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw badUrl(url, e.getMessage());
        }
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw badUrl(url, "not a redis://host:port URL");
        }
        return RedisState.connect(uri);
    }

    private static FaasmException badUrl(String url, String why) {
        return new FaasmException("state '" + url + "' is not a state backend (" + why + ")", HostSetting.STATE,
                "give redis://host:port (optionally /db), or 'memory' (the default) for state that lasts one run");
    }

    /** Key layout of Faasm's state in Redis: {@code <user>_<key>}. */
    static String redisKey(String user, String key) {
        return user + "_" + key;
    }

    /** State that lasts as long as the host. */
    final class InMemory implements GlobalState {
        private final Map<String, byte[]> values = new ConcurrentHashMap<>();
        private long held;

        @Override
        public byte[] get(String user, String key) {
            byte[] v = values.get(redisKey(user, key));
            return v == null ? null : v.clone();
        }

        @Override
        public synchronized void set(String user, String key, byte[] value) {
            put(redisKey(user, key), value.clone());
        }

        @Override
        public synchronized void setRange(String user, String key, int offset, byte[] data) {
            put(redisKey(user, key), StateStore.overlay(values.getOrDefault(redisKey(user, key), new byte[0]), 0, offset, data));
        }

        private void put(String key, byte[] value) {
            byte[] old = values.put(key, value);
            held += value.length - (old == null ? 0 : old.length);
        }

        @Override
        public synchronized void delete(String user, String key) {
            byte[] old = values.remove(redisKey(user, key));
            held -= old == null ? 0 : old.length;
        }

        @Override
        public synchronized long heldBytes() {
            return held;
        }

        @Override
        public String describe() {
            return "memory (this run only)";
        }

        @Override
        public void close() {}
    }
}
