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
        List<BuildRequirement> out = new ArrayList<>();
        if (list != null) {
            for (ModuleArchive a : list) {
                out.add(BuildRequirement.of(blank(a.name), blank(a.version), a.pin("requirement"), whose, where));
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
