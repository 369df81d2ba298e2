package org.faasm.python.maven;

import org.faasm.python.host.FaasmException;
import org.faasm.python.core.FaasmPaths;
import org.faasm.python.core.entrypoint.BundledEntrypoint;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.faasm.python.core.cpython.CPythonBuilder;
import org.faasm.python.core.entrypoint.EntrypointLinker;
import org.faasm.python.core.modules.ExtensionTable;
import org.faasm.python.host.util.AtomicFiles;

/**
 * Links the Faasm entrypoint {@code py_func.wasm} (a WASI reactor exporting {@code _faasm_zygote}
 * and {@code _faasm_call}, importing the {@code env.__faasm_*} host interface) from its C sources
 * against libpython and the companion libraries, and optimises it with wasm-opt when installed. The C
 * extensions of the project's {@code faasm-modules} dependencies are linked in statically and
 * registered from a generated table ({@code faasm_extensions.c}) with {@code PyImport_AppendInittab}.
 *
 * @since 0.1.0
 */
@Mojo(name = "link", defaultPhase = LifecyclePhase.PREPARE_PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class LinkMojo extends AbstractCPythonMojo {

    /**
     * The directory with the entrypoint's C sources ({@code py_func.c}, {@code pyfaasm_host.c}, headers).
     * When the default {@code src/main/c} does not exist, the sources this plugin release carries are
     * used (extracted into the user cache): a project needs C sources only to change the entrypoint.
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
        Path work = workDirectory.toPath().toAbsolutePath();
        var bundles = ModuleDependencies.unpack(project, work, log());
        Map<String, Path> extensions = ModuleDependencies.extensions(bundles);
        Path table = work.resolve("entrypoint-generated").resolve(ExtensionTable.FILE_NAME);
        String c = ExtensionTable.generate(extensions, ModuleDependencies.initFunctions(bundles));
        try {
            if (!Files.isRegularFile(table) || !Files.readString(table).equals(c)) {
                AtomicFiles.writeString(table, c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!extensions.isEmpty()) {
            getLog().info("C extensions linked statically: " + String.join(", ", extensions.keySet()));
        }
        new EntrypointLinker(b.toolchain(), b.buildCache(), log()).link(python, sources(), List.of(table),
                List.copyOf(extensions.values()), entrypoint.toPath().toAbsolutePath(), work.resolve("entrypoint"),
                work.resolve("logs/entrypoint.log"));
    }

    /** The configured sources, or the bundled ones when the default directory does not exist. */
    private Path sources() {
        Path configured = entrypointSources.toPath().toAbsolutePath();
        if (Files.isDirectory(configured)) {
            return configured;
        }
        if (!configured.equals(project.getBasedir().toPath().toAbsolutePath().resolve("src/main/c"))) {
            throw new FaasmException("The entrypoint sources directory " + configured + " does not exist",
                    "-Dfaasm.entrypointSources / <entrypointSources>",
                    "point it at the directory with py_func.c, or leave it unset for the "
                    + "plugin's own");
        }
        Path bundled = BundledEntrypoint.extract(FaasmPaths.entrypointSources(builder().request().cacheDirectory()));
        getLog().info("Entrypoint sources: this plugin's own (no " + configured + "), " + bundled);
        return bundled;
    }
}
