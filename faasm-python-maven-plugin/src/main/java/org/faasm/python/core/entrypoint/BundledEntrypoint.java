package org.faasm.python.core.entrypoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;

/**
 * The entrypoint's C sources of this plugin release ({@code py_func.c} and the pyfaasm host
 * module), copied into the jar at build time from {@code cpython-module/src/main/c} (the one copy
 * in git), so a {@code faasm-cpython} project outside this repository needs no C file of ours. They
 * are extracted once into the user cache, to a directory named by the digest of what it holds,
 * written under a temporary name and renamed into place.
 */
public final class BundledEntrypoint {
    /** Where the jar keeps them. */
    static final String RESOURCES = "org/faasm/python/entrypoint/";
    /** The files, as in {@code cpython-module/src/main/c} (a test checks the two agree). */
    static final List<String> FILES = List.of("faasm_host.h", "py_func.c", "pyfaasm_host.c");

    private BundledEntrypoint() {}

    /** The directory with the bundled sources, extracted under {@code directory} if they are not yet. */
    public static Path extract(Path directory) {
        return extract(BundledEntrypoint.class.getClassLoader(), RESOURCES, directory);
    }

    static Path extract(ClassLoader loader, String resources, Path directory) {
        Map<String, byte[]> files = new TreeMap<>();
        for (String name : FILES) {
            try (InputStream in = loader.getResourceAsStream(resources + name)) {
                if (in == null) {
                    throw new FaasmException("This plugin carries no entrypoint source " + name + " (no resource " + resources + name + ")",
                            "the faasm-python-maven-plugin jar", "point <entrypointSources> at a directory with the entrypoint's C sources");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resources + name + " from the plugin", e);
            }
        }
        MessageDigest md = Digests.sha256();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            md.update((f.getKey() + "\0" + f.getValue().length + "\0").getBytes(StandardCharsets.UTF_8));
            md.update(f.getValue());
        }
        Path dir = directory.resolve(Digests.hex(md.digest()));
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path tmp = AtomicFiles.tempSibling(dir);
        try {
            Files.createDirectories(tmp);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(tmp.resolve(f.getKey()), f.getValue());
            }
            AtomicFiles.publishDirectory(tmp, dir);
        } catch (IOException e) {
            FileTrees.deleteRecursively(tmp);
            throw new UncheckedIOException("cannot extract the entrypoint sources to " + dir, e);
        }
        return dir;
    }
}
