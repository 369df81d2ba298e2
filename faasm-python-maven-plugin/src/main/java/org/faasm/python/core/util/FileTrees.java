package org.faasm.python.core.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Directory helpers: delete, copy, list, manifest. */
public final class FileTrees {
    private FileTrees() {}

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** What to put in place of a symbolic link while copying a tree. */
    @FunctionalInterface
    public interface LinkPolicy {
        /** The file whose content to copy in place of {@code link}, or null to copy the link as a link. */
        Path replacement(Path link) throws IOException;
    }

    /** Copies a tree, preserving symbolic links as links and file modes. */
    public static void copyTree(Path source, Path target) {
        copyTree(source, target, link -> null);
    }

    /** Copies a tree with file modes; each symbolic link as {@code links} decides. */
    public static void copyTree(Path source, Path target, LinkPolicy links) {
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path dest = target.resolve(source.relativize(file).toString());
                    Path replacement = attrs.isSymbolicLink() ? links.replacement(file) : file;
                    if (replacement == null) {
                        Files.createSymbolicLink(dest, Files.readSymbolicLink(file));
                    } else {
                        Files.copy(replacement, dest, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
    }

    /** Regular files below {@code root}, as sorted relative Unix-style paths. */
    public static List<String> listFiles(Path root) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        out.sort(null);
        return out;
    }

    /** Symbolic links below {@code root}: relative Unix-style path to the link's target, sorted. */
    public static Map<String, String> listLinks(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isSymbolicLink).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), Files.readSymbolicLink(p).toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return out;
    }

    /**
     * sha256 of every regular file below {@code root}, by relative path; a symbolic link counts as
     * the sha256 of {@code "symlink:" + its target}.
     */
    public static Map<String, String> manifest(Path root) {
        Map<String, String> m = new TreeMap<>();
        for (String rel : listFiles(root)) {
            m.put(rel, Digests.sha256(root.resolve(rel)));
        }
        listLinks(root).forEach((rel, target) -> m.put(rel, Digests.sha256("symlink:" + target)));
        return m;
    }

    public static String formatManifest(Map<String, String> manifest) {
        StringBuilder sb = new StringBuilder();
        manifest.forEach((path, sha) -> sb.append(sha).append("  ").append(path).append('\n'));
        return sb.toString();
    }

    public static Map<String, String> parseManifest(String text) {
        Map<String, String> m = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int sep = line.indexOf("  ");
            if (sep != 64) {
                throw new IllegalArgumentException("malformed manifest line: " + line);
            }
            m.put(line.substring(66), line.substring(0, 64));
        }
        return m;
    }

    /** True for Python bytecode: anything in a __pycache__ directory, .pyc and .pyo files. */
    public static boolean isBytecode(String relativePath) {
        return relativePath.contains("__pycache__/") || relativePath.endsWith(".pyc") || relativePath.endsWith(".pyo");
    }

    public static long size(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
