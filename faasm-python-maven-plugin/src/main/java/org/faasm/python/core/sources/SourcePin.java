package org.faasm.python.core.sources;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Digests;

/**
 * The pin of one external source, read from a {@code pin.properties} file (the repository's
 * {@code third-party/<name>/}, or its copy bundled in the plugin: {@link BundledPins}):
 *
 * <pre>
 * name=cpython
 * version=3.13.15
 * archive.upstream.file=Python-3.13.15.tar.xz
 * archive.upstream.sha256=...
 * archive.upstream.urls=https://...   (comma separated, tried in order)
 * archive.upstream.debianSource=python3.13
 * archives=debian,upstream             (optional: the order archives are looked for and downloaded in)
 * patches=fix-a.patch,fix-b.patch     (relative to the pin file, applied with patch -p1)
 * </pre>
 *
 * A source can list several archives (an upstream tarball and a distribution's repack); any one of
 * them is accepted, each verified against its own digest.
 */
public record SourcePin(String name, String version, List<ArchivePin> archives, List<Path> patches, Path file) {

    public SourcePin {
        archives = List.copyOf(archives);
        patches = List.copyOf(patches);
    }

    public static SourcePin load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new FaasmException("Source pin file " + file + " does not exist", file.toString(),
                    "check the path of the pin in the plugin configuration, or unset it to use the pin bundled in the plugin");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String name = required(p, "name", file);
        String version = required(p, "version", file);
        TreeSet<String> ids = new TreeSet<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("archive.")) {
                String rest = key.substring("archive.".length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    ids.add(rest.substring(0, dot));
                }
            }
        }
        List<String> order = new ArrayList<>(split(p.getProperty("archives", "")));
        for (String id : order) {
            if (!ids.contains(id)) {
                throw new FaasmException("Pin 'archives' names '" + id + "', which has no archive." + id + ".* keys", file.toString(),
                        "list only the ids of archives the pin declares: " + ids);
            }
        }
        ids.stream().filter(id -> !order.contains(id)).forEach(order::add);
        List<ArchivePin> archives = new ArrayList<>();
        for (String id : order) {
            String prefix = "archive." + id + ".";
            String fileName = required(p, prefix + "file", file);
            String rawSha = required(p, prefix + "sha256", file);
            String sha = Digests.normaliseSha256(rawSha);
            if (sha == null) {
                throw new FaasmException("Pin " + prefix + "sha256 = '" + rawSha + "' is not a sha256 (64 hex digits)",
                        file.toString(), "write the archive's sha256 as printed by sha256sum");
            }
            List<String> urls = split(p.getProperty(prefix + "urls", ""));
            archives.add(new ArchivePin(id, fileName, sha, urls, p.getProperty(prefix + "debianSource")));
        }
        if (archives.isEmpty()) {
            throw new FaasmException("Pin of " + name + " lists no archive", file.toString(),
                    "add archive.<id>.file, archive.<id>.sha256 and archive.<id>.urls");
        }
        List<Path> patches = new ArrayList<>();
        for (String patch : split(p.getProperty("patches", ""))) {
            Path pp = file.getParent().resolve(patch);
            if (!Files.isRegularFile(pp)) {
                throw new FaasmException("Patch " + patch + " listed in the pin of " + name + " does not exist",
                        file.toString(), "add the patch file next to the pin or remove it from 'patches'");
            }
            patches.add(pp);
        }
        return new SourcePin(name, version, archives, patches, file);
    }

    /**
     * Another pin this one names under {@code key}, by a path relative to this pin (the CPython pin
     * names the wasi-libc its build needs as {@code wasiLibc=../wasi-libc/pin.properties}).
     */
    public java.util.Optional<Path> relatedPin(String key) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return java.util.Optional.empty();
        }
        Path related = file.getParent().resolve(v.trim()).normalize();
        if (!Files.isRegularFile(related)) {
            throw new FaasmException("The pin of " + name + " names " + key + "=" + v.trim() + ", which does not exist (" + related + ")",
                    file.toString(), "put that pin next to this one or correct the path");
        }
        return java.util.Optional.of(related);
    }

    private static String required(Properties p, String key, Path file) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new FaasmException("Pin file " + file + " has no '" + key + "'", file.toString(),
                    "add the missing key (see third-party/README.md)");
        }
        return v.trim();
    }

    static List<String> split(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The archive pin with this digest, or null. */
    public ArchivePin archiveWithSha(String sha256) {
        for (ArchivePin a : archives) {
            if (a.sha256().equals(sha256)) {
                return a;
            }
        }
        return null;
    }

    /** Debian source packages that carry one of the archives, for help messages. */
    public List<String> debianSources() {
        return archives.stream().map(ArchivePin::debianSource).filter(s -> s != null && !s.isBlank()).distinct().toList();
    }

    public String label() {
        return name + " " + version;
    }
}
