package org.faasm.python.host.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Directory helpers: delete, copy, list, manifest. */
public final class FileTrees {
    private FileTrees() {}

    /**
     * Deletes {@code dir} and everything below it, without following links. Where the platform
     * offers directory-relative operations (Linux: {@link SecureDirectoryStream}, i.e. openat,
     * unlinkat, renameat), no whole path below {@code dir} is ever used: each directory met is first
     * moved up to be a child of {@code dir}, so a tree deeper than the host's path limit (which a
     * guest could make through links) is deleted like any other, with two directories open at most.
     */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(dir);
                return;
            }
            Path parent = dir.toAbsolutePath().getParent();
            try (DirectoryStream<Path> up = Files.newDirectoryStream(parent)) {
                if (parent != null && up instanceof SecureDirectoryStream<Path> secureParent) {
                    Path name = dir.getFileName();
                    try (SecureDirectoryStream<Path> top = secureParent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                        flattenAndDelete(top);
                    }
                    secureParent.deleteDirectory(name);
                    return;
                }
            }
            walkAndDelete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Empties the directory {@code top} is open on, by names relative to it only. */
    private static void flattenAndDelete(SecureDirectoryStream<Path> top) throws IOException {
        Deque<Path> pending = new ArrayDeque<>();
        for (Path name : names(top)) {
            if (isDirectory(top, name)) {
                pending.push(name);
            } else {
                top.deleteFile(name);
            }
        }
        long fresh = 0;
        while (!pending.isEmpty()) {
            Path name = pending.pop();
            try (SecureDirectoryStream<Path> sub = top.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                for (Path child : names(sub)) {
                    if (!isDirectory(sub, child)) {
                        sub.deleteFile(child);
                        continue;
                    }
                    Path target;
                    do {
                        target = child.getFileSystem().getPath(".faasm-delete-" + fresh++);
                    } while (exists(top, target));
                    sub.move(child, top, target);
                    pending.push(target);
                }
            }
            top.deleteDirectory(name);
        }
    }

    /** The names in a directory (its stream can be listed once). */
    private static List<Path> names(SecureDirectoryStream<Path> dir) {
        List<Path> names = new ArrayList<>();
        for (Path entry : dir) {
            names.add(entry.getFileName());
        }
        return names;
    }

    private static boolean isDirectory(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        return dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes().isDirectory();
    }

    private static boolean exists(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    /** Deletes a tree by whole paths, where directory-relative operations are not offered. */
    private static void walkAndDelete(Path dir) throws IOException {
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

    /**
     * Every path below {@code root} (itself included), sorted, as a line: its path relative to
     * {@code base}, size, modification time and file key. Whether a tree changed, for a stat per
     * file and no reading.
     */
    public static List<String> statListing(Path root, Path base) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted().toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                out.add(base.relativize(p) + " " + a.size() + " " + a.lastModifiedTime().toInstant() + " " + a.fileKey());
            }
        }
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
