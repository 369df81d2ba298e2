package org.faasm.python.core.modules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.faasm.python.core.modules.ModuleSpec.BuildRequirement;
import org.faasm.python.core.sources.ArchiveExtractor;
import org.faasm.python.core.sources.ArchivePin;
import org.faasm.python.core.sources.SourcePin;
import org.faasm.python.core.sources.SourceResolver;
import org.faasm.python.core.wheel.WheelInstaller;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * Python packages that a step needs on the native build python only (a module's build requirements,
 * the tests' requirements): each a pinned archive, resolved through the source cache, unpacked
 * into its own directory; the directories go on PYTHONPATH. Nothing of it reaches the sysroot.
 */
public final class RequirementPath {
    private RequirementPath() {
    }

    /**
     * @param what whose requirements these are, for messages ("module numpy", "the Python tests")
     * @param where where they are declared
     * @param dir scratch directory, emptied first
     * @return the directories to put on PYTHONPATH, in order
     */
    public static List<Path> unpack(List<BuildRequirement> requirements, SourceResolver resolver, String what, String where, Path dir,
            Log log) {
        List<Path> paths = new ArrayList<>();
        FileTrees.deleteRecursively(dir);
        for (BuildRequirement r : requirements) {
            ArchivePin a = r.archive();
            Path file = resolve(r, resolver, where);
            Path target;
            if (a.fileName().endsWith(".deb")) {
                target = ArchiveExtractor.extractDebianPythonPackages(file, dir.resolve(r.name() + ".deb.d")).orElseThrow(() ->
                        new FaasmException("Requirement " + r.name() + " of " + what + " (" + a.fileName() + ") has no "
                                + ArchiveExtractor.DEBIAN_PYTHON_PACKAGES, where, "pin the Debian package that installs the Python package"));
            } else {
                target = dir.resolve(r.name());
                WheelInstaller.install(file, target);
            }
            log.info(what + ": requirement " + r.name() + (r.version() == null ? "" : " " + r.version()) + " from " + file.getFileName()
                    + " (on the build python's path only)");
            paths.add(target);
        }
        return paths;
    }

    /** The verified archive of a requirement, from the source cache or a download. */
    public static Path resolve(BuildRequirement r, SourceResolver resolver, String where) {
        SourcePin pin = new SourcePin(r.name(), r.version() == null ? "" : r.version(), List.of(r.archive()), List.of(), Path.of(where));
        return resolver.resolve(pin, null, where, null).file();
    }

    /** {@code base} followed by {@code extra}, joined as a search path. */
    public static String join(String base, List<Path> extra) {
        StringBuilder sb = new StringBuilder(base == null ? "" : base);
        for (Path p : extra) {
            if (sb.length() > 0) {
                sb.append(java.io.File.pathSeparator);
            }
            sb.append(p);
        }
        return sb.toString();
    }
}
