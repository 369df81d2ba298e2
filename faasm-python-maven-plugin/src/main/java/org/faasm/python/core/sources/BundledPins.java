package org.faasm.python.core.sources;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;

/**
 * The pins this plugin was built with: {@code third-party/<name>/pin.properties} and the patches it
 * lists, copied into the plugin jar at build time from the repository's {@code third-party/} (the
 * one copy), so a project that names no pin needs no file of ours.
 *
 * <p>A {@link SourcePin} is a file with patches beside it (they are applied from disk), so a bundled
 * pin is extracted once into the user cache, to a directory named by the digest of what it holds,
 * written under a temporary name and renamed into place. Its build key is the one the same pin gives
 * from {@code third-party/}: keys count digests of archives and patches, never a path.
 */
public final class BundledPins {
    /** Where the jar keeps the pins: {@code <this>/<name>/pin.properties}. */
    public static final String RESOURCES = "org/faasm/python/third-party/";
    static final String PIN_FILE = "pin.properties";

    private final ClassLoader loader;
    private final String resources;
    private final Path directory;

    /** @param directory where extracted pins are kept (a part of the user cache) */
    public BundledPins(Path directory) {
        this(BundledPins.class.getClassLoader(), RESOURCES, directory);
    }

    BundledPins(ClassLoader loader, String resources, Path directory) {
        this.loader = loader;
        this.resources = resources.endsWith("/") ? resources : resources + "/";
        this.directory = directory;
    }

    /** The bundled pin of {@code name} (cpython, zlib), extracted if it is not yet. */
    public SourcePin load(String name) {
        return SourcePin.load(extract(name));
    }

    /**
     * The pins a release carries. They are extracted together, as they sit in {@code third-party/},
     * so that one pin can name another by a relative path (the CPython pin names its wasi-libc).
     */
    static final List<String> RELEASE_PINS = List.of("cpython", "zlib", "wasi-libc");

    /** The extracted pin file of {@code name}: {@code <directory>/<digest>/<name>/pin.properties}. */
    Path extract(String name) {
        Map<String, byte[]> files = new TreeMap<>();
        files(name).forEach((rel, bytes) -> files.put(name + "/" + rel, bytes));
        for (String other : RELEASE_PINS) {
            if (!other.equals(name) && read(resources + other + "/" + PIN_FILE) != null) {
                files(other).forEach((rel, bytes) -> files.put(other + "/" + rel, bytes));
            }
        }
        Path dir = directory.resolve(digest(files));
        Path pin = dir.resolve(name).resolve(PIN_FILE);
        if (Files.isRegularFile(pin)) {
            return pin;
        }
        Path tmp = AtomicFiles.tempSibling(dir);
        try {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path target = tmp.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, f.getValue());
            }
            AtomicFiles.publishDirectory(tmp, dir);
        } catch (IOException e) {
            FileTrees.deleteRecursively(tmp);
            throw new UncheckedIOException("cannot extract the bundled pins to " + dir, e);
        }
        return pin;
    }

    /** The pin and its patches, by path relative to the pin's folder. */
    private Map<String, byte[]> files(String name) {
        String folder = resources + name + "/";
        byte[] pin = read(folder + PIN_FILE);
        if (pin == null) {
            throw new FaasmException("This plugin carries no pin of " + name + " (no resource " + folder + PIN_FILE + ")",
                    "the faasm-python-maven-plugin jar", "name a pin file with the plugin's " + name + "Pin parameter");
        }
        Map<String, byte[]> files = new TreeMap<>();
        files.put(PIN_FILE, pin);
        Properties p = new Properties();
        try {
            p.load(new InputStreamReader(new ByteArrayInputStream(pin), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled pin of " + name, e);
        }
        for (String patch : SourcePin.split(p.getProperty("patches", ""))) {
            String normal = Path.of(patch).normalize().toString().replace('\\', '/');
            byte[] bytes = normal.startsWith("..") || Path.of(patch).isAbsolute() ? null : read(folder + normal);
            if (bytes == null) {
                throw new FaasmException("Patch " + patch + " listed in the bundled pin of " + name + " is not in the plugin",
                        "the faasm-python-maven-plugin jar (" + folder + PIN_FILE + ")",
                        "list patches that live under third-party/" + name + "/, and rebuild the plugin");
            }
            files.put(normal, bytes);
        }
        return files;
    }

    private byte[] read(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the plugin", e);
        }
    }

    /** The digest of the files' names and contents: the name of their directory in the cache. */
    private static String digest(Map<String, byte[]> files) {
        MessageDigest md = Digests.sha256();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            md.update((f.getKey() + "\0" + f.getValue().length + "\0").getBytes(StandardCharsets.UTF_8));
            md.update(f.getValue());
        }
        return Digests.hex(md.digest());
    }
}
