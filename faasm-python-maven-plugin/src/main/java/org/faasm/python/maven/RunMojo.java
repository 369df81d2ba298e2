package org.faasm.python.maven;

import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.runner.LocalRun;

/**
 * Runs a Faasm Python function locally on the real {@code py_func.wasm}, on an emulated Faasm host
 * (wasmtime where its native library loads, else the pure-JVM engine; {@code faasm.engine}): prints what the function wrote with {@code write_output}, shows its output and
 * traceback, and fails the build naming the return code when it is not 0.
 *
 * <p>The host behaves like Faasm and cannot be harmed by the function: guest {@code /} is read-only
 * (only a private {@code /tmp} is writable), each call runs within the limits below, and a trap, a
 * timeout or a bad value passed to the host ends the call with a message instead of the build.
 *
 * @since 0.1.0
 */
@Mojo(name = "run", threadSafe = true)
public class RunMojo extends AbstractHostMojo {

    /**
     * The function: a Python file, or a directory holding {@code function.py}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.function")
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
     * Also write the function's output to this file.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.outputFile")
    protected File outputFile;

    @Override
    protected void run() throws MojoFailureException {
        LocalRun.Outcome outcome = new LocalRun(functionPath(), input, path(inputFile), entry, user,
                path(outputFile), confFlags, sysrootDirectory.toPath(), Path.of(project.getBuild().getDirectory(), "faasm-python", "functions"),
                cacheRoot(), limits(), state, preload, engine).run(System.out, System.err, log());
        if (outcome.result().failure() != null) {
            throw new MojoFailureException(outcome.result().failure()
                    + (outcome.result().limit() == null ? "" : "\n  where: " + where(outcome.result().limit())));
        }
        if (outcome.result().returnCode() != 0) {
            throw new MojoFailureException("Function " + outcome.name() + " returned " + outcome.result().returnCode()
                    + "; its output and traceback are above");
        }
        getLog().info("Return code 0");
    }

    /**
     * The function's path. Maven resolves a relative {@code faasm.function} against the module; run
     * from the reactor root with {@code -pl <module>}, the path the user typed is relative to where
     * Maven was started, which is tried when it does not exist under the module.
     */
    private Path functionPath() throws MojoFailureException {
        if (function == null) {
            throw new MojoFailureException("No function given.\n  where: -Dfaasm.function / <function>\n  what to do: set"
                    + " -Dfaasm.function=<file.py or directory with function.py>");
        }
        Path p = function.toPath();
        if (!java.nio.file.Files.exists(p) && session.getExecutionRootDirectory() != null) {
            Path base = project.getBasedir().toPath().toAbsolutePath();
            Path abs = p.toAbsolutePath();
            if (abs.startsWith(base)) {
                Path fromStart = Path.of(session.getExecutionRootDirectory()).resolve(base.relativize(abs).toString());
                if (java.nio.file.Files.exists(fromStart)) {
                    return fromStart;
                }
            }
        }
        return p;
    }

    private static Path path(File f) {
        return f == null ? null : f.toPath();
    }
}
