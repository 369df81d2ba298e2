package org.faasm.python.host.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;

/**
 * wasmtime's compiled-code cache, in a directory of ours per bindings version. wasmtime keys each
 * entry by the module's content and its compiler settings and writes it under a temporary name
 * before moving it into place; we add what the rest of our caches have: every entry has its sha256
 * in {@code digests/} (written once wasmtime has compiled; outside wasmtime's own directory
 * {@code cache/}, whose clean-up deletes files it does not know), and an entry whose bytes do not
 * match, or that has no digest, is deleted before wasmtime reads the cache, so wasmtime compiles
 * that module again instead of loading damaged code.
 */
final class WasmtimeCodeCache {
    private static final String DIGEST = ".sha256";

    private WasmtimeCodeCache() {}

    /** Checks the entries in {@code dir}, and gives the wasmtime cache configuration file that points at it. */
    static Path prepare(Path dir) {
        try {
            Files.createDirectories(dir.resolve("cache").resolve("modules"));
            for (Path entry : entries(dir)) {
                Path digest = digestOf(dir, entry);
                try {
                    String expected = Files.isRegularFile(digest) ? Files.readString(digest, StandardCharsets.US_ASCII).trim() : "";
                    if (!expected.equals(Digests.sha256(Files.readAllBytes(entry)))) {
                        Files.deleteIfExists(entry);
                        Files.deleteIfExists(digest);
                    }
                } catch (NoSuchFileException gone) {
                    // removed meanwhile (wasmtime's clean-up, another build): nothing to check
                }
            }
            Path config = dir.resolve("wasmtime-cache.toml");
            String text = "[cache]\nenabled = true\ndirectory = '" + dir.resolve("cache").toAbsolutePath().toString().replace('\\', '/') + "'\n";
            if (!Files.isRegularFile(config) || !Files.readString(config).equals(text)) {
                AtomicFiles.write(config, text.getBytes(StandardCharsets.UTF_8));
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the wasmtime code cache in " + dir, e);
        }
    }

    /** Writes the digest of each entry that has none (the ones wasmtime just wrote). */
    static void seal(Path dir) {
        try {
            for (Path entry : entries(dir)) {
                Path digest = digestOf(dir, entry);
                if (!Files.exists(digest)) {
                    try {
                        byte[] bytes = Files.readAllBytes(entry);
                        Files.createDirectories(digest.getParent());
                        AtomicFiles.write(digest, (Digests.sha256(bytes) + "\n").getBytes(StandardCharsets.US_ASCII));
                    } catch (NoSuchFileException gone) {
                        // removed meanwhile: nothing to seal
                    }
                }
            }
        } catch (IOException e) {
            // an entry without a digest is deleted and compiled again next time: that only costs time
        }
    }

    /**
     * wasmtime's compiled-module files (not its statistics, digests or temporary files). wasmtime's
     * background worker writes and renames files while we look, so a file that is gone by the time
     * it is visited is skipped, not an error.
     */
    static List<Path> entries(Path dir) throws IOException {
        Path modules = dir.resolve("cache").resolve("modules");
        if (!Files.isDirectory(modules)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(modules, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String n = file.getFileName().toString();
                if (attrs.isRegularFile() && !n.contains(".")) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        return found;
    }

    static Path digestOf(Path dir, Path entry) {
        Path relative = dir.resolve("cache").relativize(entry);
        return dir.resolve("digests").resolve(relative.toString() + DIGEST);
    }
}
