package org.faasm.python.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.faasm.python.core.modules.ModuleSet;
import org.faasm.python.core.modules.ModuleSpec;

/**
 * Lists the module set: the supported modules (built by default) and the experimental ones, with
 * their versions and sources (the original {@code modules.show}), then the modules that
 * {@code build-modules} would build with the current {@code -Dfaasm.modules} selection.
 *
 * @since 0.1.0
 */
@Mojo(name = "modules", threadSafe = true)
public class ModulesMojo extends AbstractModulesMojo {
    @Override
    protected void run() {
        ModuleSet set = moduleSet();
        set.describe().forEach(line -> getLog().info(line));
        getLog().info("Selected for build-modules: " + String.join(", ", selected(set).stream().map(ModuleSpec::name).toList()));
    }
}
