package org.faasm.python.maven;

import java.nio.file.Path;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Builds (or reuses from the cache) the native build python: the exact same CPython version, built
 * for the host from the same source, needed to cross-compile CPython. Sets the project property
 * {@code faasm.nativePython} to its interpreter.
 *
 * @since 0.1.0
 */
@Mojo(name = "build-python", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class BuildPythonMojo extends AbstractCPythonMojo {
    @Override
    protected void run() {
        Path prefix = builder().nativePython();
        project.getProperties().setProperty("faasm.nativePython", prefix.resolve("bin/python3").toString());
    }
}
