package org.faasm.python.core.modules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.faasm.python.core.sources.ArchivePin;
import org.faasm.python.host.FaasmException;

/**
 * A C library that a module's C extension links (LibYAML for PyYAML's {@code yaml._yaml}): a pinned
 * C source archive, cross-built once for wasm32-wasi by its own build system into a static library
 * and its headers ({@link CLibraryBuilder}). The module's build finds it through {@code -I} and
 * {@code -L}, and the extension's archive takes its objects in (WASI has no shared libraries).
 *
 * @param buildSystem how the source is built: {@code cmake} (configured with a wasm32-wasi
 *     toolchain file, built and installed) or {@code make} (its Makefile run with the WASI compiler
 *     as {@code CC}, then its {@code install} target with {@code PREFIX})
 * @param options for cmake, arguments added to the configure step ({@code -DBUILD_TESTING=OFF});
 *     for make, arguments of every make run: variables ({@code NOFORTRAN=1}) and the targets to
 *     build ({@code libs}; none: the default target)
 * @param patches patches applied to the extracted source (as {@code patch -p1} would), in order
 * @param where the place it is declared, for error messages
 */
public record CLibrarySpec(String name, String version, ArchivePin archive, List<ArchivePin> alsoAccepted, String buildSystem,
        List<String> options, List<Path> patches, String where) {

    /** The build systems this builder runs. */
    public static final List<String> BUILD_SYSTEMS = List.of("cmake", "make");

    /** A library without patches. */
    public CLibrarySpec(String name, String version, ArchivePin archive, List<ArchivePin> alsoAccepted, String buildSystem,
            List<String> options, String where) {
        this(name, version, archive, alsoAccepted, buildSystem, options, List.of(), where);
    }

    public CLibrarySpec {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._+-]*")) {
            throw new FaasmException("A <cLibrary> has " + (name == null ? "no <name>" : "the name '" + name + "', which is not a file name"),
                    where, "name the library, e.g. <name>libyaml</name>");
        }
        alsoAccepted = alsoAccepted == null ? List.of() : List.copyOf(alsoAccepted);
        options = options == null ? List.of() : List.copyOf(options);
        patches = patches == null ? List.of() : List.copyOf(patches);
        buildSystem = buildSystem == null || buildSystem.isBlank() ? "cmake" : buildSystem.trim().toLowerCase(Locale.ROOT);
        if (!BUILD_SYSTEMS.contains(buildSystem)) {
            throw new FaasmException("C library " + name + " names the build system '" + buildSystem + "', which this builder does not run",
                    where, "use <buildSystem>" + String.join("|", BUILD_SYSTEMS) + "</buildSystem>");
        }
        for (ArchivePin a : acceptedArchives(archive, alsoAccepted)) {
            if (a == null || a.fileName() == null || a.sha256() == null || !a.sha256().matches("[0-9a-f]{64}")) {
                throw new FaasmException("C library " + name + ": every archive needs a <fileName> and a <sha256> of 64 hex digits", where,
                        "give the source archive's file name and the digest sha256sum prints");
            }
            if (!a.fileName().matches(".*\\.(tar\\.gz|tgz|tar\\.bz2|tar\\.xz)")) {
                throw new FaasmException("C library " + name + ": " + a.fileName() + " is not a source archive (.tar.gz, .tar.bz2, .tar.xz)",
                        where, "pin the library's source release");
            }
        }
    }

    /** The archive, then the other archives of the same release accepted in its place. */
    public List<ArchivePin> acceptedArchives() {
        return acceptedArchives(archive, alsoAccepted);
    }

    private static List<ArchivePin> acceptedArchives(ArchivePin archive, List<ArchivePin> alsoAccepted) {
        List<ArchivePin> all = new ArrayList<>();
        all.add(archive);
        all.addAll(alsoAccepted);
        return all;
    }

    /** One line for listings. */
    public String label() {
        return name + (version == null ? "" : " " + version) + " (C library, " + buildSystem + ", " + archive.fileName() + ")";
    }
}
