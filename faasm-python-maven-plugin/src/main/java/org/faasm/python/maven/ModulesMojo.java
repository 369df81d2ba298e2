package org.faasm.python.maven;

import org.apache.maven.plugins.annotations.Mojo;

/**
 * Lists the module set: the supported modules (built by default) and the experimental ones, with
 * their versions and sources (the original {@code modules.show}).
 *
 * @since 0.1.0
 */
@Mojo(name = "modules", threadSafe = true)
public class ModulesMojo extends AbstractModulesMojo {
    @Override
    protected void run() {
        moduleSet().describe().forEach(line -> getLog().info(line));
    }
}
