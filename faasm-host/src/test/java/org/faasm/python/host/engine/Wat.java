package org.faasm.python.host.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Assembles a test module from its text form with wabt's wat2wasm (CI installs wabt; elsewhere a test without it is skipped). */
public final class Wat {
    private Wat() {}

    /** Assembles the resource {@code /host/<name>.wat} into {@code dir/<name>.wasm}. */
    public static Path assemble(String name, Path dir) throws Exception {
        Path wat = Path.of(Wat.class.getResource("/host/" + name + ".wat").toURI());
        Path wasm = dir.resolve(name + ".wasm");
        Process p;
        try {
            p = new ProcessBuilder(List.of("wat2wasm", wat.toString(), "-o", wasm.toString())).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(System.getenv("CI") != null, "wat2wasm not installed");
            throw new AssertionError("wat2wasm is missing (CI installs wabt)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return wasm;
    }
}
