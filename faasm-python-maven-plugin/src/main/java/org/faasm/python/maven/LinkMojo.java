package org.faasm.python.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.cpython.CPythonBuilder;
import org.faasm.python.core.entrypoint.EntrypointLinker;

/**
 * Links the Faasm entrypoint {@code py_func.wasm} (a WASI reactor exporting {@code _faasm_zygote}
 * and {@code _faasm_call}, importing the {@code env.__faasm_*} host interface) from its C sources
 * against libpython and the companion libraries, and optimises it with wasm-opt when installed.
 *
 * @since 0.1.0
 */
@Mojo(name = "link", defaultPhase = LifecyclePhase.PREPARE_PACKAGE, threadSafe = true)
public class LinkMojo extends AbstractCPythonMojo {

    /**
     * The directory with the entrypoint's C sources ({@code py_func.c}, {@code pyfaasm_host.c}, headers).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.entrypointSources", defaultValue = "${project.basedir}/src/main/c")
    protected File entrypointSources;

    /**
     * Where the linked entrypoint is written.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.entrypoint", defaultValue = "${project.build.directory}/py_func.wasm")
    protected File entrypoint;

    @Override
    protected void run() {
        CPythonBuilder b = builder();
        CPythonBuilder.WasmOutputs python = b.wasm();
        new EntrypointLinker(b.toolchain(), log()).link(python, entrypointSources.toPath().toAbsolutePath(), List.of(),
                entrypoint.toPath().toAbsolutePath(), workDirectory.toPath().resolve("entrypoint"),
                workDirectory.toPath().resolve("logs/entrypoint.log"));
    }
}
