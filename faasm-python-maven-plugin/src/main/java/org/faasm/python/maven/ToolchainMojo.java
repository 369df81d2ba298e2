package org.faasm.python.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Finds the WASI toolchain and the host tools, and fails before any work when something is missing,
 * naming what it looked for and the packages to install.
 *
 * @since 0.1.0
 */
@Mojo(name = "toolchain", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class ToolchainMojo extends AbstractCPythonMojo {
    @Override
    protected void run() {
        builder().toolchain();
    }
}
