package org.faasm.python.maven;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.testing.AbstractMojoTestCase;
import org.apache.maven.project.MavenProject;
import org.faasm.python.core.cpython.CPythonBuilder;
import org.faasm.python.core.cpython.CPythonRequest;
import org.faasm.python.core.sources.SourcePin;

/** Mojo configuration through maven-plugin-testing-harness: parameters from a pom, failures as a user sees them. */
public class CPythonMojoConfigurationTest extends AbstractMojoTestCase {

    private File pom() {
        return getTestFile("src/test/resources/unit/configured/pom.xml");
    }

    private <T extends AbstractCPythonMojo> T configured(String goal) throws Exception {
        @SuppressWarnings("unchecked")
        T mojo = (T) lookupMojo(goal, pom());
        assertNotNull(mojo);
        MavenProject project = new MavenProject();
        project.setFile(pom());
        MavenSession session = newMavenSession(project);
        setVariableValueToObject(mojo, "project", project);
        setVariableValueToObject(mojo, "session", session);
        setVariableValueToObject(mojo, "mojoExecution", newMojoExecution(goal));
        setVariableValueToObject(mojo, "cacheDirectory", Files.createTempDirectory("faasm-cache").toFile());
        return mojo;
    }

    public void testParametersFromThePomReachTheRequest() throws Exception {
        CompileMojo mojo = configured("compile");

        CPythonRequest request = mojo.request();

        assertEquals(List.of("--with-pydebug", "--without-pymalloc"), request.configureOptions());
        assertEquals("-O2", request.cflags());
        assertEquals(3, request.jobs());
        assertEquals(Path.of("/nonexistent/wasi-sdk"), request.toolchainPath());
        assertTrue(request.cpythonPin().endsWith("pins/cpython.properties"));
        assertFalse(request.offline());
    }

    public void testWithNoPinConfiguredThePinsBundledInThePluginAreUsed() throws Exception {
        CompileMojo mojo = configured("compile");
        setVariableValueToObject(mojo, "cpythonPin", null);
        setVariableValueToObject(mojo, "zlibPin", null);
        Path cache = ((File) getVariableValueFromObject(mojo, "cacheDirectory")).toPath();

        CPythonBuilder builder = mojo.builder();

        assertNull(builder.request().cpythonPin());
        assertEquals("cpython", builder.cpythonPin().name());
        assertEquals("zlib", builder.zlibPin().name());
        Path pinFile = builder.cpythonPin().file();
        assertEquals(pinFile.toString(), cache.resolve("pins"), pinFile.getParent().getParent().getParent());
        assertEquals(pinFile.toString(), "cpython", pinFile.getParent().getFileName().toString());
        // the pins are extracted together, so the CPython pin finds the wasi-libc pin it names
        assertTrue(builder.cpythonPin().relatedPin("wasiLibc").isPresent());
        assertEquals(SourcePin.load(Path.of("../third-party/cpython/pin.properties")).archives(), builder.cpythonPin().archives());
    }

    public void testSkipDoesNothing() throws Exception {
        ToolchainMojo mojo = configured("toolchain");
        setVariableValueToObject(mojo, "skip", true);
        setVariableValueToObject(mojo, "session", null);

        mojo.execute(); // would fail on the missing toolchain (and the null session) if it ran
    }

    public void testAnIncompleteToolchainFailsNamingTheParameter() throws Exception {
        ToolchainMojo mojo = configured("toolchain");

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage(), e.getMessage().contains("/nonexistent/wasi-sdk is not a usable wasi-sdk"));
        assertTrue(e.getMessage(), e.getMessage().contains("where: -Dfaasm.toolchain.path / <toolchainPath>"));
    }

    public void testAnInvalidJobsValueIsExplained() throws Exception {
        CompileMojo mojo = configured("compile");
        setVariableValueToObject(mojo, "jobs", "lots");

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage(), e.getMessage().contains("faasm.jobs must be a whole number, got 'lots'"));
    }

    public void testAZeroJobsValueIsRejected() throws Exception {
        CompileMojo mojo = configured("compile");
        setVariableValueToObject(mojo, "jobs", "0");

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage(), e.getMessage().contains("jobs must be between 1 and 256, got 0"));
    }

    public void testAnUnknownFaasmPropertyFailsWithASuggestion() throws Exception {
        ToolchainMojo mojo = configured("toolchain");
        MavenSession session = (MavenSession) getVariableValueFromObject(mojo, "session");
        session.getUserProperties().setProperty("faasm.toolchain.pth", "/opt/x");

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage(), e.getMessage().contains("-Dfaasm.toolchain.pth (did you mean -Dfaasm.toolchain.path?)"));
    }

    private static <E extends Throwable> E assertThrows(Class<E> type, ThrowingRunnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + t, t);
        }
        throw new AssertionError("expected " + type.getSimpleName() + " but nothing was thrown");
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
