package org.faasm.python.host.util;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the user cache lives. In order: an explicit directory (the plugin's
 * cacheDirectory), the {@code FAASM_PYTHON_CACHE} variable,
 * {@code $XDG_CACHE_HOME/faasm-python}, then {@code ~/.cache/faasm-python}.
 */
public final class UserCache {
    private UserCache() {}

    public static Path root(Path explicit, Map<String, String> env, String userHome) {
        if (explicit != null) {
            return explicit.toAbsolutePath();
        }
        String v = env.get("FAASM_PYTHON_CACHE");
        if (v != null && !v.isBlank()) {
            return Path.of(v).toAbsolutePath();
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "faasm-python").toAbsolutePath();
        }
        return Path.of(userHome, ".cache", "faasm-python");
    }
}
