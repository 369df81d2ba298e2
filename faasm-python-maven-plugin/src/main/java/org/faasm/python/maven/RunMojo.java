package org.faasm.python.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.runner.LocalRun;

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
        LocalRun.Outcome outcome = new LocalRun(function == null ? null : function.toPath(), input, path(inputFile), entry, user,
                path(outputFile), confFlags, sysrootDirectory.toPath(), Path.of(project.getBuild().getDirectory(), "faasm-python", "functions"),
                cacheRoot()).run(System.out, System.err, log());
        if (outcome.result().returnCode() != 0) {
            throw new MojoFailureException("Function " + outcome.name() + " returned " + outcome.result().returnCode()
                    + "; its output and traceback are above");
        }
        getLog().info("Return code 0");
    }

    private static Path path(File f) {
        return f == null ? null : f.toPath();
    }
}
