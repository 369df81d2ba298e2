package org.faasm.python.core.modules;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.faasm.python.core.sources.PackageIndex;
import org.faasm.python.core.sources.SourceCheck;
import org.faasm.python.core.sources.SourcePin;
import org.faasm.python.core.sources.SourceResolver;
import org.faasm.python.host.FaasmException;

/**
 * What a module set is built from: each module's pinned archive (through the source cache, its
 * {@code index:} URLs on the module's package index or {@link PackageIndex#PYPI}), its build
 * requirements, its source directory. The build takes its archives from here, and {@link #check}
 * resolves all of them first, so that a missing one fails before anything compiles.
 */
public final class ModuleSources {
    private final SourceResolver resolver;
    private final boolean offline;

    public ModuleSources(SourceResolver resolver, boolean offline) {
        this.resolver = resolver;
        this.offline = offline;
    }

    /** Resolves everything these modules' build will need, keeping each failure in {@code check}. */
    public void check(List<ModuleSpec> specs, SourceCheck check) {
        java.util.Set<String> requirementsSeen = new java.util.HashSet<>();
        for (ModuleSpec s : specs) {
            switch (s.kind()) {
                case ARCHIVE -> check.attempt(() -> archive(s));
                case DIRECTORY -> check.attempt(() -> directory(s));
                case REQUIREMENT -> {
                    // pip finds it when the module is built; offline it cannot
                    if (offline) {
                        check.attempt(() -> {
                            throw offlineRequirement(s);
                        });
                    }
                }
            }
            for (CLibrarySpec c : s.cLibraries()) {
                if (requirementsSeen.add(c.archive().sha256())) {
                    check.attempt(() -> cLibrary(c));
                }
            }
            for (ModuleSpec.BuildRequirement r : ModuleBuilder.buildRequirements(s)) {
                // one archive shared by several modules (the builder's setuptools) is checked once
                if (requirementsSeen.add(r.archive().sha256())) {
                    check.attempt(() -> RequirementPath.resolve(r, resolver, s.where()));
                }
            }
        }
    }

    /** The verified source archive of a module of kind {@link ModuleSpec.Kind#ARCHIVE}. */
    public Path archive(ModuleSpec s) {
        SourcePin pin = new SourcePin(s.name(), s.version() == null ? "" : s.version(), s.acceptedArchives(), s.patches(), Path.of(s.where()));
        PackageIndex index = new PackageIndex(() -> s.index() != null ? s.index() : PackageIndex.PYPI);
        return resolver.withIndex(index).resolve(pin, s.archive(), "<archive> of module " + s.name() + " in " + s.where(),
                "<archive> in the module's declaration").file();
    }

    /** The verified source archive of a C library a module links (source cache, then the pinned URLs). */
    public Path cLibrary(CLibrarySpec c) {
        SourcePin pin = new SourcePin(c.name(), c.version() == null ? "" : c.version(), c.acceptedArchives(), List.of(), Path.of(c.where()));
        return resolver.resolve(pin, null, "<cLibrary> " + c.name() + " in " + c.where(), "the <cLibrary>'s <fileName> and <urls>").file();
    }

    /** The source directory of a module of kind {@link ModuleSpec.Kind#DIRECTORY}, which must exist. */
    public Path directory(ModuleSpec s) {
        if (!Files.isDirectory(s.directory())) {
            throw new FaasmException("The source directory of module " + s.name() + " does not exist: " + s.directory(), s.where(),
                    "point <directory> at the package's project directory (with setup.py)");
        }
        return s.directory();
    }

    static FaasmException offlineRequirement(ModuleSpec s) {
        return new FaasmException("Module " + s.name() + " is a pip requirement ('" + s.requirement() + "') and Maven is offline",
                s.where(), "go online, or pin the release archive (<archive> or <fileName> with <sha256>) so it builds offline");
    }
}
