package org.faasm.python.maven;

import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.runner.LocalServe;

/**
 * Runs a local Faasm that stays up, on loopback, speaking Faasm's HTTP APIs: the upload server
 * ({@code PUT /p/<user>/<function>} for Python source, {@code GET /ping}, {@code /s/<user>/<key>}
 * for state) and the planner ({@code POST /} with {@code EXECUTE_BATCH} and
 * {@code EXECUTE_BATCH_STATUS}). Every call starts from one zygote snapshot, within the same limits
 * as {@code run}; a function edited in {@code faasm.functions} or uploaded again takes effect on its
 * next call. It writes {@code faasm.ini} for Faasm's clients (faasmctl) and logs one line per call.
 * Ctrl-C, or {@code faasm.serveFor}, stops it.
 *
 * @since 0.1.0
 */
@Mojo(name = "serve", threadSafe = true)
public class ServeMojo extends AbstractHostMojo {

    /**
     * A directory of functions of {@code faasm.user}, one folder per function, each holding
     * {@code function.py} (e.g. {@code src/main/python}); uploaded functions need none.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.functions")
    protected File functions;

    /**
     * The planner's port (Faasm's {@code planner_port}); 0 for any free port (see faasm.ini).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.port", defaultValue = "8080")
    protected int port;

    /**
     * The upload server's port (Faasm's {@code upload_port}); 0 for any free port.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.uploadPort", defaultValue = "8002")
    protected int uploadPort;

    /**
     * The address to listen on: loopback by default; {@code 0.0.0.0} serves every interface (anyone
     * who reaches it can run code on this machine).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.bind", defaultValue = "127.0.0.1")
    protected String bind;

    /**
     * How many calls run at once; default the number of cores. Each runs within the limits of {@code run}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.workers")
    protected Integer workers;

    /**
     * Stop after this long, for scripts: {@code 90s}, {@code 10m}, {@code 2h}; empty to serve until Ctrl-C.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.serveFor")
    protected String serveFor;

    /**
     * Where uploaded functions and {@code faasm.ini} are kept.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.serveDirectory", defaultValue = "${project.build.directory}/faasm-python/serve")
    protected File serveDirectory;

    @Override
    protected void run() throws MojoFailureException {
        try {
            new LocalServe(sysrootDirectory.toPath(), functions == null ? null : functions.toPath(), user, confFlags, cacheRoot(), limits(),
                    state, preload, engine, bind, port, uploadPort, workers == null ? Runtime.getRuntime().availableProcessors() : workers,
                    serveFor, serveDirectory.toPath()).serve(System.out, System.err, log());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoFailureException("Interrupted while serving", e);
        }
    }
}
