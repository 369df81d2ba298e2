package org.faasm.python.core;

import java.nio.file.Path;

/** Where the build keeps its parts of the user cache ({@link org.faasm.python.host.util.UserCache#root}). */
public final class FaasmPaths {
    private FaasmPaths() {}

    /** Verified archives by sha256. */
    public static Path sources(Path cacheRoot) {
        return cacheRoot.resolve("sources");
    }

    /** Git checkouts by commit. */
    public static Path git(Path cacheRoot) {
        return cacheRoot.resolve("git");
    }

    /** The pins bundled in the plugin, extracted by content digest ({@link org.faasm.python.core.sources.BundledPins}). */
    public static Path pins(Path cacheRoot) {
        return cacheRoot.resolve("pins");
    }

    /** The entrypoint's C sources bundled in the plugin, extracted by content digest. */
    public static Path entrypointSources(Path cacheRoot) {
        return cacheRoot.resolve("entrypoint-sources");
    }

    /** Finished builds by build key. */
    public static Path builds(Path cacheRoot) {
        return cacheRoot.resolve("builds");
    }
}
