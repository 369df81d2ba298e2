package org.faasm.python.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.cpython.CPythonBuilder;
import org.faasm.python.core.modules.ModuleSources;
import org.faasm.python.core.modules.ModuleSpec.BuildRequirement;
import org.faasm.python.core.modules.RequirementPath;
import org.faasm.python.core.sources.SourceCheck;
import org.faasm.python.core.sources.SourceResolver;

/**
 * Resolves and verifies every source this module's build will need, before anything is built: the
 * pinned CPython and zlib archives, and, where configured, each selected module of the module set
 * (its archive, its build requirements, its directory) and the Python tests' requirements. Each
 * comes from a local archive, the content-addressed cache or a download (not in offline mode),
 * checked against its sha256 every time. Every missing source is reported in one failure, with the
 * places it was looked for and what to do.
 *
 * @since 0.1.0
 */
@Mojo(name = "sources", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class SourcesMojo extends AbstractModulesMojo {

    /**
     * The packages the Python tests need on the build python (the {@code python-test} goal's
     * {@code testRequirements}), resolved here as well.
     *
     * @since 0.1.0
     */
    @Parameter
    protected List<ModuleArchive> testRequirements;

    @Override
    protected void run() {
        long start = System.nanoTime();
        CPythonBuilder b = builder();
        SourceResolver resolver = b.resolver();
        SourceCheck check = new SourceCheck();
        check.attempt(b::cpythonSource);
        check.attempt(b::zlibSource);
        if (pythonModules != null && !pythonModules.isEmpty()) {
            new ModuleSources(resolver, session.isOffline()).check(selected(moduleSet()), check);
        }
        String where = project.getFile() == null ? "<testRequirements>" : project.getFile() + " <testRequirements>";
        for (BuildRequirement r : ModuleArchive.requirements(testRequirements, true, "the Python tests", where)) {
            check.attempt(() -> RequirementPath.resolve(r, resolver, where));
            for (BuildRequirement nested : r.buildRequirements()) {
                check.attempt(() -> RequirementPath.resolve(nested, resolver, where));
            }
        }
        check.complete();
        getLog().info(String.format("Sources: all %d present and verified (%.1f s)", check.checked(), (System.nanoTime() - start) / 1e9));
    }
}
