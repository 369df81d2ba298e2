package org.faasm.python.core.runner;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.faasm.python.core.sysroot.SysrootLayout;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.HostSetting;
import org.faasm.python.host.Setting;
import org.faasm.python.host.run.HostOptions;
import org.faasm.python.host.serve.LocalFaasm;
import org.faasm.python.host.state.GlobalState;
import org.faasm.python.host.util.Log;

/**
 * A local Faasm that stays up, as {@code faasm-python:serve} starts it: the sysroot's entrypoint
 * behind Faasm's planner and upload APIs ({@link LocalFaasm}), until stopped or for a given time.
 *
 * @param functions a directory of the user's functions (one folder per function), or null
 * @param work where uploads and faasm.ini are kept
 */
public record LocalServe(Path sysroot, Path functions, String user, List<String> confFlags, Path cacheRoot, HostLimits limits,
        String stateUrl, List<String> preload, String engine, String bind, int plannerPort, int uploadPort, int workers, String serveFor,
        Path work) {

    private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m|h)?");

    /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 500ms}, or a number of seconds; null or empty for none. */
    public static Duration parseDuration(String text, Setting where) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new FaasmException("'" + text + "' is not a duration", where, "give a number with a unit, such as 90s, 10m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** Serves until {@code faasm.serveFor} has passed, or the JVM is stopped (Ctrl-C). */
    public void serve(PrintStream out, PrintStream err, Log log) throws InterruptedException {
        Duration duration = parseDuration(serveFor, HostSetting.SERVE_FOR);
        List<String> modules = LocalRun.checkPreload(preload);
        if (functions != null && !Files.isDirectory(functions)) {
            throw new FaasmException("The functions directory " + functions + " does not exist", HostSetting.FUNCTIONS,
                    "give a directory with one folder per function, each holding function.py");
        }
        if (plannerPort != 0 && plannerPort == uploadPort) {
            throw new FaasmException("The planner and upload ports are both " + plannerPort, HostSetting.UPLOAD_PORT,
                    "give them different ports (Faasm's are 8080 and 8002)");
        }
        try (GlobalState global = GlobalState.open(stateUrl)) {
            HostOptions host = new HostOptions(SysrootLayout.entrypoint(sysroot), SysrootLayout.runtimeRoot(sysroot), null, user, null,
                    new LinkedHashSet<>(confFlags == null ? List.of() : confFlags), out, err, cacheRoot.resolve("code"),
                    cacheRoot.resolve("zygote"), limits, global, modules, log, engine);
            Path ini = work.resolve("faasm.ini");
            try (LocalFaasm faasm = new LocalFaasm(new LocalFaasm.Options(host, bind, plannerPort, uploadPort, work.resolve("uploads"),
                    functions, workers, Duration.ofSeconds(5), ini))) {
                Thread hook = new Thread(faasm::close, "faasm-serve-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                log.info("Local Faasm on " + bind + ": planner port " + faasm.plannerPort() + ", upload port " + faasm.uploadPort() + ", "
                        + workers + " workers, state " + global.describe() + (functions == null ? "" : ", functions of user " + user + " in "
                        + functions) + "; zygote " + faasm.host().zygoteMillis() + " ms");
                log.info("Faasm's clients: export FAASM_INI_FILE=" + ini.toAbsolutePath() + "\n" + faasm.ini().strip());
                log.info(duration == null ? "Serving until stopped (Ctrl-C)" : "Serving for " + duration.toString().substring(2).toLowerCase(Locale.ROOT));
                faasm.serve(duration);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException stopping) {
                    // the JVM is stopping: the hook closes the server
                }
                log.info("Stopped");
            }
        }
    }
}
