package org.faasm.python.core.cpython;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.faasm.python.core.util.AtomicFiles;
import org.faasm.python.core.util.FileTrees;
import org.faasm.python.core.util.Log;

/**
 * Content-keyed cache of finished build outputs: {@code <root>/<kind>/<key>/}. An entry is built in
 * a temporary directory, gets a manifest ({@code .faasm-manifest}: sha256 of every file) and a
 * description of its inputs ({@code .faasm-inputs}), and is moved into place in one rename. A lookup
 * verifies the manifest and evicts an entry that no longer matches.
 */
public final class BuildCache {
    static final String MANIFEST = ".faasm-manifest";
    static final String INPUTS = ".faasm-inputs";
    /** Entries verified (or published) by this JVM: one Maven build checks each entry once. */
    private static final java.util.Set<Path> VERIFIED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Path root;
    private final Log log;

    public BuildCache(Path root, Log log) {
        this.root = root;
        this.log = log;
    }

    /** Forgets which entries this JVM verified, as a new build would. */
    static void forgetVerified() {
        VERIFIED.clear();
    }

    public Path entry(String kind, String key) {
        return root.resolve(kind).resolve(key);
    }

    /** A verified entry. */
    public Optional<Path> lookup(String kind, String key) {
        Path dir = entry(kind, key);
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            if (Files.exists(dir)) {
                log.warn("Cache entry " + dir + " has no manifest (interrupted?); removing it");
                FileTrees.deleteRecursively(dir);
            }
            return Optional.empty();
        }
        if (VERIFIED.contains(dir.toAbsolutePath())) {
            return Optional.of(dir);
        }
        try {
            Map<String, String> expected = FileTrees.parseManifest(Files.readString(manifestFile));
            Map<String, String> actual = FileTrees.manifest(dir);
            actual.remove(MANIFEST);
            actual.remove(INPUTS);
            if (!expected.equals(actual)) {
                log.warn("Cache entry " + dir + " does not match its manifest (changed or damaged); removing it");
                FileTrees.deleteRecursively(dir);
                return Optional.empty();
            }
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Cache entry " + dir + " is unreadable (" + e.getMessage() + "); removing it");
            FileTrees.deleteRecursively(dir);
            return Optional.empty();
        }
        VERIFIED.add(dir.toAbsolutePath());
        return Optional.of(dir);
    }

    /** A fresh temporary directory to build an entry in (same file system as the cache). */
    public Path scratch(String kind, String key) {
        Path dir = AtomicFiles.tempSibling(entry(kind, key));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }

    /** Seals {@code built} with its manifest and moves it into place; returns the entry. */
    public Path publish(String kind, String key, Path built, String inputsDescription) {
        try {
            Map<String, String> manifest = FileTrees.manifest(built);
            Files.writeString(built.resolve(INPUTS), inputsDescription);
            Files.writeString(built.resolve(MANIFEST), FileTrees.formatManifest(manifest));
            Path target = entry(kind, key);
            if (Files.exists(target)) {
                FileTrees.deleteRecursively(target);
            }
            AtomicFiles.publishDirectory(built, target);
            VERIFIED.add(target.toAbsolutePath());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish cache entry " + kind + "/" + key, e);
        }
    }
}
