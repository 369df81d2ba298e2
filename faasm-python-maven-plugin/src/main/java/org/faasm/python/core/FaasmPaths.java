package org.faasm.python.core;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the user cache lives. In order: the {@code cacheDirectory} parameter
 * ({@code -Dfaasm.cacheDirectory}), the {@code FAASM_PYTHON_CACHE} variable,
 * {@code $XDG_CACHE_HOME/faasm-python}, then {@code ~/.cache/faasm-python}.
 */
public final class FaasmPaths {
    private FaasmPaths() {}

    public static Path cacheRoot(Path explicit, Map<String, String> env, String userHome) {
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

    /** Verified archives by sha256. */
    public static Path sources(Path cacheRoot) {
        return cacheRoot.resolve("sources");
    }

    /** Git checkouts by commit. */
    public static Path git(Path cacheRoot) {
        return cacheRoot.resolve("git");
    }

    /** Finished builds by build key. */
    public static Path builds(Path cacheRoot) {
        return cacheRoot.resolve("builds");
    }
}
