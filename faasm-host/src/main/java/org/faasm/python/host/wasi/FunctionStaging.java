package org.faasm.python.host.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.Setting;
import org.faasm.python.host.util.FileTrees;

/**
 * Puts a function's directory where the guest sees it ({@code /pyfuncs/<user>/<func>}) and checks
 * the names that make that path. A symbolic link inside the directory is copied as the file it points
 * to; one that points outside the directory is refused, so the guest sees nothing of the host
 * beyond the function.
 */
public final class FunctionStaging {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private FunctionStaging() {}

    /** A Faasm user or function name: letters, digits, {@code _ . -}, no path separator, not {@code .} or {@code ..}. */
    public static void checkName(String name, String what, Setting where) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new FaasmException("The " + what + " '" + name + "' is not a Faasm name (letters, digits, '_', '.', '-';"
                    + " no path separators or '..'; at most 128 characters)", where, "give a plain name such as 'python' or 'hello'");
        }
    }

    /** Copies {@code source} (a function directory) to {@code target}, refusing links that leave it. */
    public static void copy(Path source, Path target) throws IOException {
        Path root = source.toRealPath();
        FileTrees.copyTree(root, target, link -> {
            Path real;
            try {
                real = link.toRealPath();
            } catch (IOException e) {
                throw refused(source, root.relativize(link), "points to nothing (" + Files.readSymbolicLink(link) + ")");
            }
            if (!real.startsWith(root)) {
                throw refused(source, root.relativize(link), "points outside the function directory, to " + real);
            }
            if (Files.isDirectory(real)) {
                throw refused(source, root.relativize(link), "is a link to a directory");
            }
            return real;
        });
    }

    private static FaasmException refused(Path dir, Path link, String why) {
        return new FaasmException("The function directory " + dir + " has a symbolic link " + link + " that " + why, dir.resolve(link).toString(),
                "replace the link with the file itself, inside the function directory (the guest sees only that directory)");
    }
}
