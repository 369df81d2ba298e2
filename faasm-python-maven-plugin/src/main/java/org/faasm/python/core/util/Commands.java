package org.faasm.python.core.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command (a version query, config.guess) and captures what it prints. */
public final class Commands {
    private Commands() {}

    /** Exit code and combined output of a finished command. */
    public record Output(int exitCode, String text) {
        public String firstLine() {
            return text.lines().findFirst().orElse("").strip();
        }
    }

    /** Runs {@code command} with stdout and stderr combined; fails after a minute. */
    public static Output run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        return new Output(p.exitValue(), text);
    }
}
