package org.faasm.python.core.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void aFailingStepShowsTheTailOfItsLogAndThePath() {
        Path log = tmp.resolve("logs/step.log");
        String script = "for i in $(seq 1 100); do echo line$i; done; echo 'error: no such option --frobnicate' >&2; exit 7";

        FaasmException e = assertThrows(FaasmException.class, () -> new ProcessRunner(Log.NONE)
                .run("wasm: configure", List.of("sh", "-c", script), tmp.resolve("work"), Map.of(), log));

        assertTrue(e.getMessage().contains("exit code 7"), e.getMessage());
        assertTrue(e.getMessage().contains("error: no such option --frobnicate"), e.getMessage());
        assertTrue(e.getMessage().contains("line100"));
        assertTrue(!e.getMessage().contains("line50\n"), "only the tail is shown");
        assertEquals(log.toString(), e.where());
    }

    @Test
    void outputAndEnvironmentGoToTheLog() throws Exception {
        Path log = tmp.resolve("step.log");

        new ProcessRunner(Log.NONE).run("echo", List.of("sh", "-c", "echo \"cc is $CC\""), tmp, Map.of("CC", "clang-16"), log);

        String text = Files.readString(log);
        assertTrue(text.contains("cc is clang-16"), text);
        assertTrue(text.contains("### echo"), text);
    }
}
