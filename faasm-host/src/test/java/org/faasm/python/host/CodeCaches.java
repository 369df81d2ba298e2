package org.faasm.python.host;

import java.nio.file.Path;
import java.util.UUID;

/**
 * A fresh code cache directory for a test, under target/ rather than in the test's temporary
 * directory: wasmtime's cache worker writes its statistics files on a thread of its own after a
 * module is compiled, and a temporary directory deleted at the end of the test then fails to
 * delete now and then. Under target/, `mvn clean` removes them.
 */
public final class CodeCaches {
    private CodeCaches() {}

    public static Path fresh() {
        return Path.of("target", "test-code-caches", UUID.randomUUID().toString()).toAbsolutePath();
    }
}
