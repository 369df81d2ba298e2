package org.faasm.python.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.faasm.python.core.modules.ModuleSpec.BuildRequirement;
import org.faasm.python.core.sources.ArchivePin;

/**
 * A pinned archive in a {@code <pythonModule>}: one of its {@code <alsoAccepted>} source archives, or
 * one of its {@code <buildRequirements>}.
 */
public class ModuleArchive {
    /** The package's name (build requirements). */
    String name;
    /** Its version, for the log. */
    String version;
    /** The archive's file name. */
    String fileName;
    /** Its sha256 pin. */
    String sha256;
    /** Where to download it from (online builds). */
    List<String> urls;
    /** The Debian package that carries the very same file (named in help messages). */
    String debianSource;
    /** Other archives of the very same release accepted in its place (each a fileName, sha256, urls, debianSource). */
    List<ModuleArchive> alsoAccepted;
    /** A test requirement given as an sdist: what its build needs on the build python (Debian packages or wheels). */
    List<ModuleArchive> buildRequirements;
    /** A test requirement given as an sdist: its PEP 517 config settings (several words make a list). */
    java.util.Map<String, String> configSettings;

    static List<ArchivePin> pins(List<ModuleArchive> list, String id) {
        List<ArchivePin> out = new ArrayList<>();
        if (list != null) {
            for (ModuleArchive a : list) {
                out.add(a.pin(id));
            }
        }
        return out;
    }

    static List<BuildRequirement> requirements(List<ModuleArchive> list, String whose, String where) {
        return requirements(list, false, whose, where);
    }

    /** With {@code sourceAllowed}, an sdist is accepted and built for the build python (test requirements). */
    static List<BuildRequirement> requirements(List<ModuleArchive> list, boolean sourceAllowed, String whose, String where) {
        List<BuildRequirement> out = new ArrayList<>();
        if (list != null) {
            for (ModuleArchive a : list) {
                out.add(BuildRequirement.of(blank(a.name), blank(a.version), a.pin("requirement"), pins(a.alsoAccepted, "alsoAccepted"),
                        requirements(a.buildRequirements, false, "requirement " + a.name + " of " + whose, where),
                        a.configSettings == null ? java.util.Map.of() : a.configSettings, sourceAllowed, whose, where));
            }
        }
        return out;
    }

    private ArchivePin pin(String id) {
        String digest = blank(sha256);
        return new ArchivePin(id, blank(fileName), digest == null ? null : digest.toLowerCase(Locale.ROOT), urls == null ? List.of() : urls,
                blank(debianSource));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
