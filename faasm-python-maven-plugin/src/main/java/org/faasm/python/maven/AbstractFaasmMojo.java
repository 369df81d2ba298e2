package org.faasm.python.maven;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Log;
import org.faasm.python.host.util.UserCache;

/** Shared parameters and error handling: parameters in, one call into the core, typed failures out. */
abstract class AbstractFaasmMojo extends AbstractMojo {

    /**
     * Skips this goal.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * The user cache shared by every checkout: verified source archives, the native build python and
     * finished wasm builds, each keyed by content. Defaults to {@code $FAASM_PYTHON_CACHE}, then
     * {@code $XDG_CACHE_HOME/faasm-python}, then {@code ~/.cache/faasm-python}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.cacheDirectory")
    protected java.io.File cacheDirectory;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    protected org.apache.maven.plugin.MojoExecution mojoExecution;

    protected Log log() {
        return new MavenLog(getLog());
    }

    protected Path cacheRoot() {
        return UserCache.root(cacheDirectory == null ? null : cacheDirectory.toPath(), System.getenv(),
                System.getProperty("user.home"));
    }

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping (faasm.skip=true)");
            return;
        }
        List<String> unknown = KnownProperties.unknown(session.getUserProperties());
        if (!unknown.isEmpty()) {
            throw new MojoFailureException("Unknown faasm-python propert" + (unknown.size() == 1 ? "y " : "ies ")
                    + String.join(", ", unknown) + ".\n  where: the mvn command line or MAVEN_OPTS\n  what to do: remove or correct it;"
                    + " 'mvn faasm-python:help -Ddetail' lists every parameter and its property");
        }
        try {
            run();
        } catch (FaasmException e) {
            throw new MojoFailureException(e.describe(this::where), e);
        } catch (UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage() + ": " + org.faasm.python.host.util.Errors.describe(e.getCause()), e);
        }
    }

    protected abstract void run() throws MojoExecutionException, MojoFailureException;

    /**
     * Where a Maven user sets a setting the core names ({@link org.faasm.python.host.FaasmException#setting()}):
     * its user property, as this goal's descriptor declares it, and its parameter.
     */
    String where(org.faasm.python.host.Setting setting) {
        String property = KnownProperties.PREFIX + setting.key();
        org.apache.maven.plugin.descriptor.Parameter p = mojoExecution == null || mojoExecution.getMojoDescriptor() == null ? null
                : mojoExecution.getMojoDescriptor().getParameterMap().get(setting.key());
        String expression = p == null ? null : p.getExpression();
        if (expression != null && expression.startsWith("${") && expression.endsWith("}")) {
            property = expression.substring(2, expression.length() - 1);
        }
        return "-D" + property + " / <" + setting.key() + ">";
    }

    /**
     * {@code project.build.outputTimestamp} in milliseconds: an ISO-8601 instant or seconds since the
     * epoch; {@code fallback} when unset (Maven treats a single character as unset).
     */
    static long outputTimestampMillis(String value, long fallback) {
        if (value == null || value.length() < 2) {
            return fallback;
        }
        if (value.matches("\\d+")) {
            return Long.parseLong(value) * 1000L;
        }
        return java.time.Instant.parse(value).toEpochMilli();
    }
}
