package org.faasm.python.maven;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.FaasmException;
import org.faasm.python.core.runner.FaasmHost;
import org.faasm.python.core.runner.PythonFunction;
import org.faasm.python.core.sysroot.SysrootAssembler;
import org.faasm.python.core.util.AtomicFiles;

/**
 * Runs a Faasm Python function locally on the real {@code py_func.wasm}, on an emulated Faasm host
 * (Chicory): prints what the function wrote with {@code write_output}, shows its output and
 * traceback, and fails the build naming the return code when it is not 0.
 *
 * @since 0.1.0
 */
@Mojo(name = "run", threadSafe = true)
public class RunMojo extends AbstractFaasmMojo {

    /**
     * The function: a Python file, or a directory holding {@code function.py}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.function", required = true)
    protected File function;

    /**
     * The call's input, as text (UTF-8).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.input")
    protected String input;

    /**
     * A file whose bytes are the call's input (instead of {@code input}).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.inputFile")
    protected File inputFile;

    /**
     * The function to call: {@code faasm_main} (called without arguments) or another function of the
     * module, called with the input bytes.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.entry", defaultValue = "faasm_main")
    protected String entry;

    /**
     * The Faasm user the function belongs to.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.user", defaultValue = "python")
    protected String user;

    /**
     * Also write the function's output to this file.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.outputFile")
    protected File outputFile;

    /**
     * Faasm conf flags that are on, e.g. {@code PYTHON_PRELOAD}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.confFlags")
    protected List<String> confFlags;

    /**
     * The sysroot directory: built by this reactor's {@code package} goal, or unpacked from the
     * sysroot artifact. Holds {@code runtime_root/} and {@code wasm/python/py_func/function.wasm}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.sysrootDirectory", defaultValue = "${project.build.directory}/faasm-sysroot")
    protected File sysrootDirectory;

    @Override
    protected void run() throws MojoFailureException {
        if (input != null && inputFile != null) {
            throw new FaasmException("Both an input and an input file are given", "-Dfaasm.input and -Dfaasm.inputFile",
                    "give one of them");
        }
        byte[] in;
        try {
            if (inputFile != null) {
                if (!inputFile.isFile()) {
                    throw new FaasmException("Input file " + inputFile + " does not exist", "-Dfaasm.inputFile / <inputFile>",
                            "check the path, or pass the input as text with -Dfaasm.input");
                }
                in = Files.readAllBytes(inputFile.toPath());
            } else {
                in = input == null ? new byte[0] : input.getBytes(StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path sysroot = sysrootDirectory.toPath();
        Path staging = Path.of(project.getBuild().getDirectory(), "faasm-python", "functions");
        PythonFunction fn = PythonFunction.locate(function == null ? null : function.toPath(), staging, "-Dfaasm.function / <function>");
        PrintStream out = System.out;
        FaasmHost.Options options = new FaasmHost.Options(sysroot.resolve(SysrootAssembler.entrypointPath()),
                sysroot.resolve("runtime_root"), fn.directory(), user, fn.name(),
                new LinkedHashSet<>(confFlags == null ? List.of() : confFlags), out, System.err, cacheRoot().resolve("chicory"),
                cacheRoot().resolve("zygote"));
        getLog().info("Running " + user + "/" + fn.name() + " (" + entry + ") on the local Faasm host");
        long t0 = System.nanoTime();
        FaasmHost.CallResult result;
        try (FaasmHost host = new FaasmHost(options)) {
            result = host.call(entry, in);
            getLog().info(String.format("Start-up (zygote) %d ms; total %d ms", host.zygoteMillis(), (System.nanoTime() - t0) / 1_000_000));
        }
        out.flush();
        if (result.output().length > 0) {
            getLog().info("Output (" + result.output().length + " bytes):");
            out.write(result.output(), 0, result.output().length);
            out.println();
            out.flush();
        }
        if (outputFile != null) {
            AtomicFiles.write(outputFile.toPath(), result.output());
        }
        if (result.returnCode() != 0) {
            throw new MojoFailureException("Function " + user + "/" + fn.name() + " (" + entry + ") returned " + result.returnCode()
                    + "; its output and traceback are above");
        }
        getLog().info("Return code 0");
    }
}
