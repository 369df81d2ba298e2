package org.faasm.python.maven;

import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.release.Uploader;
import org.faasm.python.core.runner.PythonFunction;
import org.faasm.python.core.sysroot.SysrootLayout;
import org.faasm.python.host.FaasmException;

/**
 * Uploads to a Faasm cluster (the original upload tasks): the Python function to
 * {@code PUT /p/<user>/<func>}, and with {@code uploadEntrypoint} the entrypoint to
 * {@code PUT /f/python/py_func}.
 *
 * @since 0.1.0
 */
@Mojo(name = "upload", threadSafe = true)
public class UploadMojo extends AbstractFaasmMojo {

    /**
     * The base URL of the Faasm upload service.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.upload.endpoint", defaultValue = "http://localhost:8002")
    protected String endpoint;

    /**
     * The function to upload: a Python file, or a directory holding {@code function.py}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.function")
    protected File function;

    /**
     * The Faasm user of the function.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.user", defaultValue = "python")
    protected String user;

    /**
     * Also upload the entrypoint {@code py_func.wasm} of {@code sysrootDirectory}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.upload.entrypoint", defaultValue = "false")
    protected boolean uploadEntrypoint;

    /**
     * The sysroot holding the entrypoint.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.sysrootDirectory", defaultValue = "${project.build.directory}/faasm-sysroot")
    protected File sysrootDirectory;

    @Override
    protected void run() {
        if (function == null && !uploadEntrypoint) {
            throw new FaasmException("Nothing to upload", "-Dfaasm.function / -Dfaasm.upload.entrypoint",
                    "name a function with -Dfaasm.function, and/or set -Dfaasm.upload.entrypoint=true");
        }
        Uploader uploader = new Uploader(endpoint, log());
        if (function != null) {
            PythonFunction fn = PythonFunction.locate(function.toPath(),
                    Path.of(project.getBuild().getDirectory(), "faasm-python", "functions"), org.faasm.python.host.HostSetting.FUNCTION);
            uploader.uploadFunction(user, fn.name(), fn.directory().resolve("function.py"));
        }
        if (uploadEntrypoint) {
            uploader.uploadEntrypoint(SysrootLayout.entrypoint(sysrootDirectory.toPath()));
        }
    }
}
