package org.faasm.python.core.modules;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.faasm.python.core.sources.ArchivePin;
import org.faasm.python.host.FaasmException;

/**
 * One third-party Python module of the module set, as declared in a pom.
 *
 * <p>Its source is exactly one of: a local {@code directory} (a project with setup.py); an
 * {@code archive} (an sdist {@code .tar.gz}/{@code .tar.xz}/{@code .zip}, a {@code .whl}, or a
 * Debian binary package {@code .deb} of a pure-Python module), given as a local file or by file
 * name in the source cache or at {@code urls}, pinned by {@code sha256}; or a pip
 * {@code requirement} downloaded from {@code index} (online only). A Maven artifact source is
 * resolved by the mojo to a local archive.
 *
 * @param where the place it is declared, for error messages
 */
public record ModuleSpec(
        String name,
        String version,
        String description,
        boolean experimental,
        Path directory,
        Path archive,
        String fileName,
        String sha256,
        List<String> urls,
        String debianSource,
        String requirement,
        String index,
        Map<String, String> environment,
        List<Path> patches,
        List<ArchivePin> alsoAccepted,
        List<BuildRequirement> buildRequirements,
        Map<String, String> configSettings,
        List<CLibrarySpec> cLibraries,
        List<String> preBuild,
        String where) {

    /** A module without C libraries or pre-build steps. */
    public ModuleSpec(String name, String version, String description, boolean experimental, Path directory, Path archive, String fileName,
            String sha256, List<String> urls, String debianSource, String requirement, String index, Map<String, String> environment,
            List<Path> patches, List<ArchivePin> alsoAccepted, List<BuildRequirement> buildRequirements, Map<String, String> configSettings,
            String where) {
        this(name, version, description, experimental, directory, archive, fileName, sha256, urls, debianSource, requirement, index,
                environment, patches, alsoAccepted, buildRequirements, configSettings, List.of(), List.of(), where);
    }

    /**
     * A package that the module's setup.py needs on the build python (Cython, for one), never
     * installed into the sysroot: a pinned archive, a Debian binary package of a Python package
     * ({@code usr/lib/python3/dist-packages}) or a wheel, put on the build python's path for this
     * module's build only.
     */
    public record BuildRequirement(String name, String version, ArchivePin archive, List<ArchivePin> alsoAccepted,
            List<BuildRequirement> buildRequirements, Map<String, String> configSettings) {
        public BuildRequirement {
            alsoAccepted = alsoAccepted == null ? List.of() : List.copyOf(alsoAccepted);
            buildRequirements = buildRequirements == null ? List.of() : List.copyOf(buildRequirements);
            configSettings = configSettings == null ? Map.of() : Map.copyOf(new TreeMap<>(configSettings));
        }

        /** A Debian package or a wheel, unpacked as it is. */
        public BuildRequirement(String name, String version, ArchivePin archive) {
            this(name, version, archive, List.of(), List.of(), Map.of());
        }

        /** The archive, then the other archives of the same release that are accepted in its place. */
        public List<ArchivePin> acceptedArchives() {
            List<ArchivePin> all = new java.util.ArrayList<>(List.of(archive));
            all.addAll(alsoAccepted);
            return all;
        }

        /** True when this is an sdist, built for the build python by {@link NativeWheelBuild}. */
        public boolean fromSource() {
            return NativeWheelBuild.isSource(archive.fileName());
        }

        /**
         * A requirement checked as declared: a name, and a Debian binary package or a wheel pinned by sha256.
         *
         * @param whose whose requirement it is, for messages ("module numpy")
         */
        public static BuildRequirement of(String name, String version, ArchivePin archive, String whose, String where) {
            return of(name, version, archive, List.of(), List.of(), Map.of(), false, whose, where);
        }

        /**
         * As {@link #of(String, String, ArchivePin, String, String)}; with {@code sourceAllowed}, an
         * sdist too, built for the build python with its own build requirements and config settings.
         */
        public static BuildRequirement of(String name, String version, ArchivePin archive, List<ArchivePin> alsoAccepted,
                List<BuildRequirement> buildRequirements, Map<String, String> configSettings, boolean sourceAllowed, String whose, String where) {
            if (name == null || name.isBlank()) {
                throw new FaasmException("A requirement of " + whose + " has no <name>", where, "name the package, e.g. <name>cython</name>");
            }
            checkArchive(whose, "requirement " + name, archive, where);
            String f = archive.fileName();
            boolean source = sourceAllowed && NativeWheelBuild.isSource(f);
            if (!(f.endsWith(".deb") || f.endsWith(".whl") || source)) {
                throw new FaasmException("Requirement " + name + " of " + whose + " is " + f
                        + ": only Debian binary packages (.deb) and wheels (.whl) can be put on the build python's path"
                        + (sourceAllowed ? ", or an sdist built for it" : ""), where,
                        "pin the package's python3-<name> (or <name>3) .deb, or a wheel for the build machine");
            }
            for (ArchivePin other : alsoAccepted) {
                checkArchive(whose, "requirement " + name + ": <alsoAccepted> archive " + other.fileName(), other, where);
                if (NativeWheelBuild.isSource(other.fileName()) != source) {
                    throw new FaasmException("Requirement " + name + " of " + whose + " accepts " + other.fileName() + " in place of " + f
                            + ", which is another kind of archive", where, "accept only archives of the same kind (sdists of one release)");
                }
            }
            if (!source && (!buildRequirements.isEmpty() || !configSettings.isEmpty())) {
                throw new FaasmException("Requirement " + name + " of " + whose + " has <buildRequirements> or <configSettings>, which only an "
                        + "sdist built for the build python uses", where, "drop them, or pin the requirement's sdist");
            }
            return new BuildRequirement(name.trim(), version, archive, alsoAccepted, buildRequirements, configSettings);
        }
    }

    /** A module without PEP 517 config settings. */
    public ModuleSpec(String name, String version, String description, boolean experimental, Path directory, Path archive, String fileName,
            String sha256, List<String> urls, String debianSource, String requirement, String index, Map<String, String> environment,
            List<Path> patches, List<ArchivePin> alsoAccepted, List<BuildRequirement> buildRequirements, String where) {
        this(name, version, description, experimental, directory, archive, fileName, sha256, urls, debianSource, requirement, index,
                environment, patches, alsoAccepted, buildRequirements, Map.of(), where);
    }

    /** A module without other accepted archives or build requirements. */
    public ModuleSpec(String name, String version, String description, boolean experimental, Path directory, Path archive, String fileName,
            String sha256, List<String> urls, String debianSource, String requirement, String index, Map<String, String> environment,
            List<Path> patches, String where) {
        this(name, version, description, experimental, directory, archive, fileName, sha256, urls, debianSource, requirement, index,
                environment, patches, List.of(), List.of(), Map.of(), where);
    }

    public enum Kind { DIRECTORY, ARCHIVE, REQUIREMENT }

    public ModuleSpec {
        if (name == null || name.isBlank()) {
            throw new FaasmException("A module in the module set has no <name>", where, "give every <pythonModule> a <name>");
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new FaasmException("Module name '" + name + "' is not a package name (letters, digits, '.', '_', '-')", where,
                    "use the package's distribution name, e.g. six or faasm-cext-demo");
        }
        urls = urls == null ? List.of() : List.copyOf(urls);
        patches = patches == null ? List.of() : List.copyOf(patches);
        alsoAccepted = alsoAccepted == null ? List.of() : List.copyOf(alsoAccepted);
        buildRequirements = buildRequirements == null ? List.of() : List.copyOf(buildRequirements);
        cLibraries = cLibraries == null ? List.of() : List.copyOf(cLibraries);
        preBuild = preBuild == null ? List.of() : preBuild.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
        for (String step : preBuild) {
            if (!step.startsWith("python ")) {
                throw new FaasmException("Module " + name + " has the pre-build step '" + step + "', which does not begin with 'python '",
                        where, "write each <step> as a command of the build python, e.g. <step>python -m cython msgpack/_cmsgpack.pyx</step>");
            }
        }
        if (!alsoAccepted.isEmpty() && fileName == null && archive == null) {
            throw new FaasmException("Module " + name + " lists <alsoAccepted> archives but has no archive source", where,
                    "give the module's main archive with <fileName> and <sha256>, or drop <alsoAccepted>");
        }
        for (ArchivePin a : alsoAccepted) {
            checkArchive("module " + name, "<alsoAccepted> archive " + a.fileName(), a, where);
        }
        environment = environment == null ? Map.of() : Map.copyOf(new TreeMap<>(environment));
        configSettings = configSettings == null ? Map.of() : Map.copyOf(new TreeMap<>(configSettings));
        sha256 = sha256 == null || sha256.isBlank() ? null : sha256.trim().toLowerCase(java.util.Locale.ROOT);
        int sources = (directory != null ? 1 : 0) + (archive != null || fileName != null ? 1 : 0) + (requirement != null ? 1 : 0);
        if (sources != 1) {
            throw new FaasmException("Module " + name + " must have exactly one source (<directory>, <archive>/<fileName>, <artifact> or "
                    + "<requirement>), it has " + sources, where, "keep one source element in the <pythonModule> of " + name);
        }
        if ((archive != null || fileName != null) && sha256 == null) {
            throw new FaasmException("Module " + name + " has an archive source without a <sha256> pin", where,
                    "add <sha256> with the archive's digest (sha256sum <file>)");
        }
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new FaasmException("Module " + name + " has a malformed <sha256> '" + sha256 + "'", where,
                    "give the 64 hex digits that sha256sum prints");
        }
    }

    private static void checkArchive(String whose, String what, ArchivePin a, String where) {
        if (a.fileName() == null || a.fileName().isBlank() || a.sha256() == null || !a.sha256().matches("[0-9a-f]{64}")) {
            throw new FaasmException(Character.toUpperCase(whose.charAt(0)) + whose.substring(1) + ": " + what
                    + " needs a <fileName> and a <sha256> of 64 hex digits", where,
                    "give the archive's file name and the digest sha256sum prints");
        }
    }

    /** Every archive accepted as this module's source: the main one first, then {@code alsoAccepted}. */
    public List<ArchivePin> acceptedArchives() {
        List<ArchivePin> all = new java.util.ArrayList<>();
        all.add(new ArchivePin("archive", archiveName(), sha256, urls, debianSource));
        all.addAll(alsoAccepted);
        return all;
    }

    public Kind kind() {
        return directory != null ? Kind.DIRECTORY : requirement != null ? Kind.REQUIREMENT : Kind.ARCHIVE;
    }

    /** The archive's file name (from the local file when given). */
    public String archiveName() {
        return fileName != null ? fileName : archive == null ? null : archive.getFileName().toString();
    }

    /** A one-line description of the source, for listings. */
    public String sourceLabel() {
        String label = switch (kind()) {
            case DIRECTORY -> "directory " + directory;
            case REQUIREMENT -> "pip requirement '" + requirement + "'" + (index == null ? "" : " from " + index);
            case ARCHIVE -> archiveName() + " (sha256 " + sha256.substring(0, 12) + "...)"
                    + (debianSource == null ? "" : ", Debian package " + debianSource);
        };
        for (ArchivePin a : alsoAccepted) {
            label += "; or " + a.fileName() + " (sha256 " + a.sha256().substring(0, 12) + "...)";
        }
        for (CLibrarySpec c : cLibraries) {
            label += "; links " + c.label();
        }
        if (!buildRequirements.isEmpty()) {
            label += "; built with " + String.join(", ", buildRequirements.stream()
                    .map(r -> r.name() + (r.version() == null ? "" : " " + r.version()) + " (" + r.archive().fileName() + ")").toList());
        }
        return label;
    }
}
