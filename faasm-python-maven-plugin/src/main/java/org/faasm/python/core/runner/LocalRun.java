package org.faasm.python.core.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.faasm.python.core.sysroot.SysrootLayout;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.HostSetting;
import org.faasm.python.host.run.FaasmHost;
import org.faasm.python.host.run.HostOptions;
import org.faasm.python.host.state.GlobalState;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Log;

/**
 * One call of a Python function on the local Faasm host, as {@code faasm-python:run} makes it: the
 * input from text or a file, the function staged, the call made from the sysroot's entrypoint,
 * its output printed (and written to a file when asked).
 *
 * @param function the function: a .py file or a directory holding function.py
 * @param input the input as text, or null
 * @param inputFile a file with the input bytes, or null
 * @param outputFile where to write the output too, or null
 * @param staging where single-file functions are staged
 * @param cacheRoot the user cache (compiled code, zygote snapshots)
 * @param limits the host's limits
 * @param stateUrl where pushed state is kept: null or {@code memory} for this run, or {@code redis://host:port}
 * @param preload modules the zygote imports (so their import is in the snapshot)
 * @param engine the WebAssembly engine ({@code faasm.engine}: auto, wasmtime or chicory)
 */
public record LocalRun(Path function, String input, Path inputFile, String entry, String user, Path outputFile, List<String> confFlags,
        Path sysroot, Path staging, Path cacheRoot, HostLimits limits, String stateUrl, List<String> preload, String engine) {

    private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    public LocalRun {
        preload = checkPreload(preload);
    }

    /** The faasm.preload list, trimmed, each a Python module name. */
    public static List<String> checkPreload(List<String> given) {
        List<String> preload = given == null ? List.of() : given.stream().map(String::trim).filter(m -> !m.isEmpty()).toList();
        for (String m : preload) {
            if (!MODULE_NAME.matcher(m).matches()) {
                throw new FaasmException("'" + m + "' in preload is not a Python module name", HostSetting.PRELOAD,
                        "list importable module names, comma separated, e.g. numpy,genshi.template");
            }
        }
        return preload;
    }

    /** What the call gave, and what to call it in messages. */
    public record Outcome(FaasmHost.CallResult result, String name) {}

    public Outcome run(PrintStream out, PrintStream err, Log log) {
        byte[] in = inputBytes();
        PythonFunction fn = PythonFunction.locate(function, staging, HostSetting.FUNCTION);
        String name = user + "/" + fn.name() + " (" + entry + ")";
        FaasmHost.CallResult result;
        try (GlobalState global = GlobalState.open(stateUrl)) {
            HostOptions options = new HostOptions(SysrootLayout.entrypoint(sysroot), SysrootLayout.runtimeRoot(sysroot),
                    fn.directory(), user, fn.name(), new LinkedHashSet<>(confFlags == null ? List.of() : confFlags), out, err,
                    cacheRoot.resolve("code"), cacheRoot.resolve("zygote"), limits, global, preload, log, engine);
            log.info("Running " + name + " on the local Faasm host (state: " + global.describe() + ")");
            long t0 = System.nanoTime();
            try (FaasmHost host = new FaasmHost(options)) {
                result = host.call(entry, in);
                log.info(String.format("Start-up (zygote) %d ms; total %d ms", host.zygoteMillis(), (System.nanoTime() - t0) / 1_000_000));
            }
        }
        out.flush();
        if (result.output().length > 0) {
            log.info("Output (" + result.output().length + " bytes):");
            out.write(result.output(), 0, result.output().length);
            out.println();
            out.flush();
        }
        if (outputFile != null) {
            AtomicFiles.write(outputFile, result.output());
        }
        return new Outcome(result, name);
    }

    private byte[] inputBytes() {
        if (input != null && inputFile != null) {
            throw new FaasmException("Both an input and an input file are given", HostSetting.INPUT_FILE, "give one of them (input or inputFile)");
        }
        if (inputFile == null) {
            return input == null ? new byte[0] : input.getBytes(StandardCharsets.UTF_8);
        }
        if (!Files.isRegularFile(inputFile)) {
            throw new FaasmException("Input file " + inputFile + " does not exist", HostSetting.INPUT_FILE,
                    "check the path, or give the input as text (input)");
        }
        try {
            return Files.readAllBytes(inputFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + inputFile, e);
        }
    }
}
