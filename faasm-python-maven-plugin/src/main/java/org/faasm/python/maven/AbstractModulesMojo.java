package org.faasm.python.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.faasm.python.core.modules.ModuleSet;
import org.faasm.python.core.modules.ModuleSpec;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Digests;

/** The module set parameters shared by {@code build-modules} and {@code modules}. */
abstract class AbstractModulesMojo extends AbstractCPythonMojo {

    /**
     * The module set: each {@code <pythonModule>} has a {@code name}, optional {@code version},
     * {@code description} and {@code experimental} flag, exactly one source ({@code directory},
     * {@code archive}, {@code fileName} with {@code urls}, {@code artifact} or {@code requirement}
     * with {@code index}), a {@code sha256} pin for archives, and optional {@code environment}
     * variables, {@code patches}, {@code alsoAccepted} archives, {@code buildRequirements},
     * {@code configSettings}, {@code cLibraries} (C libraries its extension links, each a pinned
     * source cross-built once: {@code name}, {@code version}, {@code fileName}, {@code sha256},
     * {@code urls}, {@code buildSystem} cmake or make, {@code options}, {@code patches}) and
     * {@code preBuild} steps (commands
     * of the build python run in the source first, e.g. {@code python -m cython x.pyx}).
     *
     * @since 0.1.0
     */
    @Parameter
    protected List<PythonModule> pythonModules;

    /**
     * The modules to build, by name (comma separated). Default: every supported module.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.modules")
    protected List<String> modules;

    /**
     * Also build the experimental modules (when {@code modules} names none).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.modules.experimental", defaultValue = "false")
    protected boolean includeExperimental;

    /**
     * The package index for modules given as pip requirements without their own {@code index}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.modules.index")
    protected String modulesIndex;

    protected String where() {
        return project.getFile() == null ? "<pythonModules>" : project.getFile() + " <pythonModules>";
    }

    protected ModuleSet moduleSet() {
        List<ModuleSpec> specs = new ArrayList<>();
        if (pythonModules != null) {
            for (PythonModule m : pythonModules) {
                specs.add(toSpec(m));
            }
        }
        return new ModuleSet(specs, where());
    }

    protected List<ModuleSpec> selected(ModuleSet set) {
        return set.select(modules, includeExperimental, "-Dfaasm.modules / <modules>");
    }

    private ModuleSpec toSpec(PythonModule m) {
        String where = where() + (m.name == null ? "" : " (module " + m.name + ")");
        Path archive = m.archive == null ? null : m.archive.toPath().toAbsolutePath();
        String sha256 = m.sha256;
        if (m.artifact != null && !m.artifact.isBlank()) {
            if (archive != null) {
                throw new FaasmException("Module " + m.name + " has both <artifact> and <archive>", where, "keep one source");
            }
            archive = resolveArtifact(m.artifact.trim(), where);
            if (sha256 == null || sha256.isBlank()) {
                // resolved and checksum-verified by Maven from the build's repositories
                sha256 = Digests.sha256(archive);
                getLog().info("Module " + m.name + ": artifact " + m.artifact.trim() + " resolved to " + archive + " (sha256 " + sha256 + ")");
            }
        }
        List<Path> patches = patches(m.patches, "Patch {0} of module " + m.name, where);
        String index = m.index != null && !m.index.isBlank() ? m.index.trim() : modulesIndex == null || modulesIndex.isBlank() ? null : modulesIndex;
        return new ModuleSpec(m.name, m.version, m.description, m.experimental,
                m.directory == null ? null : m.directory.toPath().toAbsolutePath(), archive, blank(m.fileName), sha256, m.urls,
                blank(m.debianSource), blank(m.requirement), index, m.environment, patches, ModuleArchive.pins(m.alsoAccepted, "alsoAccepted"),
                ModuleArchive.requirements(m.buildRequirements, "module " + m.name, where), m.configSettings, cLibraries(m, where), m.preBuild,
                where);
    }

    private static List<org.faasm.python.core.modules.CLibrarySpec> cLibraries(PythonModule m, String where) {
        List<org.faasm.python.core.modules.CLibrarySpec> out = new ArrayList<>();
        if (m.cLibraries != null) {
            for (CLibrary c : m.cLibraries) {
                String sha = blank(c.sha256);
                out.add(new org.faasm.python.core.modules.CLibrarySpec(blank(c.name), blank(c.version),
                        new org.faasm.python.core.sources.ArchivePin("archive", blank(c.fileName), sha == null ? null : sha.toLowerCase(java.util.Locale.ROOT),
                                c.urls == null ? List.of() : c.urls, blank(c.debianSource)),
                        ModuleArchive.pins(c.alsoAccepted, "alsoAccepted"), c.buildSystem, c.options,
                        patches(c.patches, "Patch {0} of C library " + c.name, where), where));
            }
        }
        return out;
    }

    /** The patch files, each checked to exist ({@code what} names one: "Patch {0} of module x"). */
    private static List<Path> patches(List<File> files, String what, String where) {
        List<Path> patches = new ArrayList<>();
        for (File p : files == null ? List.<File>of() : files) {
            if (!p.isFile()) {
                throw new FaasmException(what.replace("{0}", p.toString()) + " does not exist", where, "fix the path in <patches>");
            }
            patches.add(p.toPath().toAbsolutePath());
        }
        return patches;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private Path resolveArtifact(String coords, String where) {
        String[] p = coords.split(":");
        if (p.length < 3 || p.length > 5) {
            throw new FaasmException("<artifact> '" + coords + "' is not groupId:artifactId:version[:extension[:classifier]]", where,
                    "write the coordinates of the archive, e.g. org.example:six:1.16.0:tar.gz");
        }
        DefaultArtifact a = new DefaultArtifact(p[0], p[1], p.length > 4 ? p[4] : "", p.length > 3 ? p[3] : "tar.gz", p[2]);
        try {
            return repositorySystem.resolveArtifact(session.getRepositorySession(),
                    new ArtifactRequest(a, project.getRemoteProjectRepositories(), null)).getArtifact().getFile().toPath();
        } catch (ArtifactResolutionException e) {
            throw new FaasmException("Cannot resolve the module artifact " + coords + ": " + e.getMessage(), where,
                    "check the coordinates and that the artifact is deployed to a repository of this build", e);
        }
    }
}
