package org.faasm.python.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.cpython.CPythonBuilder;
import org.faasm.python.core.modules.ModuleBuilder;

/**
 * Cross-builds the selected modules of the module set for wasm32-wasi (the original
 * {@code modules.build}): pure-Python packages are installed with the native build python's own
 * setuptools, C extensions are compiled with the WASI toolchain into static archives for the
 * entrypoint link. The result (site-packages, archives, the extension list) is rebuilt only when an
 * input changes.
 *
 * @since 0.1.0
 */
@Mojo(name = "build-modules", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class BuildModulesMojo extends AbstractModulesMojo {

    /**
     * Where the built modules are laid out (site-packages/, lib/, extensions.properties).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.modules.directory", defaultValue = "${project.build.directory}/faasm-modules")
    protected File modulesDirectory;

    @Override
    protected void run() {
        var specs = selected(moduleSet());
        CPythonBuilder b = builder();
        CPythonBuilder.WasmOutputs python = b.wasm();
        new ModuleBuilder(b.toolchain(), b.buildCache(), python, b.nativePython().resolve("bin/python3"), b.resolver(), session.isOffline(), log())
                .buildAll(specs, modulesDirectory.toPath().toAbsolutePath(), workDirectory.toPath().resolve("modules"),
                        workDirectory.toPath().resolve("logs"));
    }
}
