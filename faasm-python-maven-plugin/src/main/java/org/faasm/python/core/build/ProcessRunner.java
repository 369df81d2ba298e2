package org.faasm.python.core.build;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Log;

/**
 * Runs one build step (configure, make, ...) with its output appended to a log file, printing a
 * heartbeat with the step's latest log line while it runs. A failing step throws with the tail of
 * the log and its path.
 */
public final class ProcessRunner {
    static final int TAIL_LINES = 40;
    private final Log log;
    private final long heartbeatMillis;

    public ProcessRunner(Log log) {
        this(log, 15_000);
    }

    public ProcessRunner(Log log, long heartbeatMillis) {
        this.log = log;
        this.heartbeatMillis = heartbeatMillis;
    }

    /**
     * @param step a short label such as "wasm: make"
     * @param command the command and its arguments
     * @param workDir where to run it
     * @param env variables to set (a null value removes the variable)
     * @param logFile the log to append to
     */
    public void run(String step, List<String> command, Path workDir, Map<String, String> env, Path logFile) {
        long start = System.nanoTime();
        log.info(step + " ...");
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.createDirectories(workDir);
            Files.writeString(logFile, "\n### " + step + "\n### cd " + workDir + " && " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + logFile, e);
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        int exit;
        try {
            Process p = pb.start();
            while (!p.waitFor(heartbeatMillis, TimeUnit.MILLISECONDS)) {
                long secs = (System.nanoTime() - start) / 1_000_000_000L;
                log.info("  " + step + ": " + secs + " s ... " + abbreviate(lastLine(logFile)));
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new FaasmException("Cannot start " + command.get(0) + " for step '" + step + "': " + e.getMessage(),
                    logFile.toString(), "check that the tool is installed and on the PATH", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + step, e);
        }
        long secs = (System.nanoTime() - start) / 1_000_000L;
        if (exit != 0) {
            throw new FaasmException("Step '" + step + "' failed with exit code " + exit + ". Last lines of its log:\n"
                    + String.join("\n", tail(logFile, TAIL_LINES)), logFile.toString(),
                    "read the full log at " + logFile + "; fix the cause (toolchain, options, patches) and build again");
        }
        log.info(String.format("%s done in %.1f s", step, secs / 1000.0));
    }

    static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 100 ? "..." + t.substring(t.length() - 97) : t;
    }

    static String lastLine(Path file) {
        List<String> t = tail(file, 1);
        return t.isEmpty() ? "" : t.get(0);
    }

    /** The last {@code n} non-empty lines of a file, read from its end. */
    public static List<String> tail(Path file, int n) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            long from = Math.max(0, len - 64L * 1024);
            raf.seek(from);
            byte[] buf = new byte[(int) (len - from)];
            raf.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8);
            Deque<String> lines = new ArrayDeque<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    lines.addLast(line);
                    if (lines.size() > n) {
                        lines.removeFirst();
                    }
                }
            }
            return List.copyOf(lines);
        } catch (IOException e) {
            return List.of();
        }
    }
}
