package org.faasm.python.core.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.AtomicFiles;

/**
 * Version bumps across the reactor (the original {@code git.bump}): every {@code pom.xml} (the
 * project's and its parent's {@code <version>}, and references to the reactor's own artifacts), and
 * the Python package versions ({@code version = "..."} in pyproject.toml, {@code __version__} in
 * {@code __init__.py}), which get the version without {@code -SNAPSHOT}. All files are checked
 * first and written after, each by rename.
 */
public final class Versions {
    private static final Pattern SEMVER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(-SNAPSHOT)?");

    private Versions() {}

    public enum Part {
        PATCH, MINOR, MAJOR;

        public static Part parse(String s, String where) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new FaasmException("'" + s + "' is not a version part", where, "use patch, minor or major");
            }
        }
    }

    /** The next version: 0.1.2 + minor = 0.2.0; a -SNAPSHOT suffix is kept. */
    public static String bump(String version, Part part) {
        Matcher m = SEMVER.matcher(version);
        if (!m.matches()) {
            throw new FaasmException("The version '" + version + "' is not semantic (MAJOR.MINOR.PATCH, optionally -SNAPSHOT)",
                    "<version> of the root pom", "set a version such as 0.1.0 or 0.1.0-SNAPSHOT, then bump");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int patch = Integer.parseInt(m.group(3));
        String suffix = m.group(4) == null ? "" : m.group(4);
        return switch (part) {
            case MAJOR -> (major + 1) + ".0.0" + suffix;
            case MINOR -> major + "." + (minor + 1) + ".0" + suffix;
            case PATCH -> major + "." + minor + "." + (patch + 1) + suffix;
        };
    }

    static String python(String mavenVersion) {
        return mavenVersion.replace("-SNAPSHOT", "");
    }

    /** A planned change of one file. */
    public record Change(Path file, String before, String after) {}

    /**
     * Plans the bump from {@code from} to {@code to} below {@code root} (target/ and hidden folders
     * skipped) and returns the changes; nothing is written.
     */
    public static List<Change> plan(Path root, String groupId, String from, String to) {
        List<Change> changes = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !root.relativize(p).toString().contains("target/") && !root.relativize(p).toString().startsWith("."))
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.equals("pom.xml") || n.equals("pyproject.toml") || n.equals("__init__.py");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Pattern pomVersion = Pattern.compile("<version>" + Pattern.quote(from) + "</version>");
        Pattern pyproject = Pattern.compile("(?m)^version\\s*=\\s*\"" + Pattern.quote(python(from)) + "(\\.dev0)?\"");
        Pattern dunder = Pattern.compile("(?m)^__version__\\s*=\\s*\"" + Pattern.quote(python(from)) + "(\\.dev0)?\"");
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String after = switch (f.getFileName().toString()) {
                case "pom.xml" -> text.contains("<groupId>" + groupId + "</groupId>")
                        ? pomVersion.matcher(text).replaceAll("<version>" + Matcher.quoteReplacement(to) + "</version>") : text;
                case "pyproject.toml" -> pyproject.matcher(text).replaceAll("version = \"" + python(to) + "\"");
                default -> dunder.matcher(text).replaceAll("__version__ = \"" + python(to) + "\"");
            };
            if (!after.equals(text)) {
                changes.add(new Change(f, text, after));
            }
        }
        return changes;
    }

    /** Writes planned changes, each file by rename. */
    public static void apply(List<Change> changes) {
        for (Change c : changes) {
            AtomicFiles.writeString(c.file(), c.after());
        }
    }
}
