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
        return unpack(requirements, resolver, null, what, where, dir, log);
    }

    /** As {@link #unpack(List, SourceResolver, String, String, Path, Log)}; an sdist is built by {@code sources}. */
    public static List<Path> unpack(List<BuildRequirement> requirements, SourceResolver resolver, NativeWheelBuild sources, String what,
            String where, Path dir, Log log) {
        List<Path> paths = new ArrayList<>();
        FileTrees.deleteRecursively(dir);
        for (BuildRequirement r : requirements) {
            ArchivePin a = r.archive();
            Path file = resolve(r, resolver, where);
            Path target;
            if (r.fromSource()) {
                if (sources == null) {
                    throw new FaasmException("Requirement " + r.name() + " of " + what + " is an sdist (" + a.fileName()
                            + "), which is built only for the Python tests' requirements", where,
                            "pin a Debian package (.deb) or a wheel (.whl) of it");
                }
                target = sources.site(r, file, where);
            } else if (file.getFileName().toString().endsWith(".deb")) {
                Path deb = dir.resolve(r.name() + ".deb.d");
                java.util.Optional<Path> dist = ArchiveExtractor.extractDebianPythonPackages(file, deb);
                java.util.Optional<Path> wheel = dist.isPresent() ? java.util.Optional.empty() : debianWheel(deb);
                if (dist.isPresent()) {
                    target = dist.get();
                } else if (wheel.isPresent()) {
                    // python3-<name>-whl: the upstream wheel as released, with what it vendors
                    target = dir.resolve(r.name());
                    WheelInstaller.install(wheel.get(), target);
                } else {
                    throw new FaasmException("Requirement " + r.name() + " of " + what + " (" + a.fileName() + ") has neither "
                            + ArchiveExtractor.DEBIAN_PYTHON_PACKAGES + " nor a wheel in " + DEBIAN_WHEELS, where,
                            "pin the Debian package that installs the Python package (python3-<name>, or python3-<name>-whl)");
                }
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

    /** Where Debian's python3-<name>-whl packages keep the upstream wheel. */
    static final String DEBIAN_WHEELS = "usr/share/python-wheels";

    /** The one wheel of an extracted python3-<name>-whl package, if it is one. */
    static java.util.Optional<Path> debianWheel(Path extracted) {
        Path wheels = extracted.resolve(DEBIAN_WHEELS);
        if (!java.nio.file.Files.isDirectory(wheels)) {
            return java.util.Optional.empty();
        }
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(wheels)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().endsWith(".whl")).sorted().toList();
            return found.size() == 1 ? java.util.Optional.of(found.get(0)) : java.util.Optional.empty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + wheels, e);
        }
    }

    /** The verified archive of a requirement, from the source cache or a download. */
    public static Path resolve(BuildRequirement r, SourceResolver resolver, String where) {
        SourcePin pin = new SourcePin(r.name(), r.version() == null ? "" : r.version(), r.acceptedArchives(), List.of(), Path.of(where));
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
