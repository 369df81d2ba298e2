package org.faasm.python.maven;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.core.build.ProcessRunner;
import org.faasm.python.core.modules.ModuleSpec;
import org.faasm.python.core.modules.NativeWheelBuild;
import org.faasm.python.core.modules.RequirementPath;
import org.faasm.python.host.FaasmException;

/**
 * Runs the module's Python unit tests ({@code unittest} discovery) under the native build python,
 * the same CPython version as the wasm build.
 *
 * @since 0.1.0
 */
@Mojo(name = "python-test", defaultPhase = LifecyclePhase.TEST, threadSafe = true)
public class PythonTestMojo extends AbstractCPythonMojo {

    /**
     * The directory holding the Python packages under test (put on PYTHONPATH).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.pythonSources", defaultValue = "${project.basedir}/src/main/python")
    protected File pythonSources;

    /**
     * The directory holding the tests ({@code test_*.py}).
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.basedir}/src/test/python")
    protected File pythonTests;

    /**
     * Packages the tests need on the build python (NumPy for pyfaasm's matrix tests): each a
     * {@code name}, {@code version} and a pinned Debian binary package ({@code .deb}) or wheel
     * ({@code fileName}, {@code sha256}, {@code urls}, {@code debianSource}), unpacked onto PYTHONPATH;
     * or an sdist, built for the build python by its PEP 517 backend with its own pinned
     * {@code buildRequirements} and {@code configSettings}, and kept in the build cache.
     *
     * @since 0.1.0
     */
    @Parameter
    protected List<ModuleArchive> testRequirements;

    /**
     * Skips the Python tests (the Maven-wide test switch).
     *
     * @since 0.1.0
     */
    @Parameter(property = "skipTests", defaultValue = "false")
    protected boolean skipTests;

    @Override
    protected void run() throws MojoFailureException {
        if (skipTests) {
            getLog().info("Tests are skipped.");
            return;
        }
        if (!pythonTests.isDirectory()) {
            getLog().info("No Python tests in " + pythonTests);
            return;
        }
        Path python = builder().nativePython().resolve("bin/python3");
        Path log = workDirectory.toPath().resolve("logs/python-test.log");
        try {
            Files.deleteIfExists(log);
            new ProcessRunner(log()).run("python tests", List.of(python.toString(), "-m", "unittest", "discover", "-v", "-s",
                    pythonTests.getAbsolutePath(), "-t", pythonTests.getAbsolutePath()), project.getBasedir().toPath(),
                    Map.of("PYTHONPATH", pythonPath(), "PYTHONDONTWRITEBYTECODE", "1"), log);
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("Ran ") || line.equals("OK") || line.contains(" ... ")) {
                    getLog().info("  " + line);
                }
            }
        } catch (FaasmException e) {
            throw new MojoFailureException("Python tests failed:\n" + e.describe(this::where), e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String pythonPath() {
        String where = project.getFile() == null ? "<testRequirements>" : project.getFile() + " <testRequirements>";
        List<ModuleSpec.BuildRequirement> requirements = ModuleArchive.requirements(testRequirements, true, "the Python tests", where);
        NativeWheelBuild sources = new NativeWheelBuild(builder().buildCache(), builder().nativePython(), builder().resolver(),
                workDirectory.toPath().resolve("native-wheels"), workDirectory.toPath().resolve("logs"), log());
        return RequirementPath.join(pythonSources.getAbsolutePath(), RequirementPath.unpack(requirements, builder().resolver(), sources,
                "the Python tests", where, workDirectory.toPath().resolve("python-test-requirements"), log()));
    }
}
