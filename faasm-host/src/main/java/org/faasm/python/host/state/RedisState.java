package org.faasm.python.host.state;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostSetting;
import org.faasm.python.host.util.Errors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/** Faasm's global state tier in a real Redis, keyed as Faasm keys it ({@code <user>_<key>}). */
final class RedisState implements GlobalState {
    private final String url;
    private final JedisPooled redis;

    private RedisState(String url, JedisPooled redis) {
        this.url = url;
        this.redis = redis;
    }

    static RedisState connect(URI uri) {
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        int db = 0;
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
        if (!path.isEmpty()) {
            try {
                db = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                throw new FaasmException("state '" + uri + "' names database '" + path + "', which is not a number",
                        HostSetting.STATE, "give redis://host:port or redis://host:port/<db number>");
            }
        }
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .database(db).connectionTimeoutMillis(3000).socketTimeoutMillis(10000);
        if (uri.getUserInfo() != null) {
            String[] auth = uri.getUserInfo().split(":", 2);
            if (auth.length == 2) {
                config.user(auth[0].isEmpty() ? null : auth[0]).password(auth[1]);
            } else {
                config.password(auth[0]);
            }
        }
        String shown = "redis://" + uri.getHost() + ":" + port + (db == 0 ? "" : "/" + db);
        JedisPooled redis = new JedisPooled(new HostAndPort(uri.getHost(), port), config.build());
        try {
            redis.ping();
        } catch (JedisException e) {
            redis.close();
            throw new FaasmException("The state backend " + shown + " does not answer: " + Errors.describe(e), HostSetting.STATE,
                    "start Redis there (e.g. redis-server --port " + port + "), correct the URL, or leave state unset"
                            + " for state that lasts one run", e);
        }
        return new RedisState(shown, redis);
    }

    private static byte[] key(String user, String key) {
        return GlobalState.redisKey(user, key).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] get(String user, String key) {
        return guard(() -> redis.get(key(user, key)));
    }

    @Override
    public void set(String user, String key, byte[] value) {
        guard(() -> redis.set(key(user, key), value));
    }

    @Override
    public void setRange(String user, String key, int offset, byte[] data) {
        guard(() -> redis.setrange(key(user, key), offset, data));
    }

    @Override
    public void delete(String user, String key) {
        guard(() -> redis.del(key(user, key)));
    }

    private <T> T guard(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (JedisException e) {
            throw new IllegalStateException("state backend " + url + " failed: " + Errors.describe(e), e);
        }
    }

    @Override
    public String describe() {
        return url;
    }

    @Override
    public void close() {
        redis.close();
    }
}
