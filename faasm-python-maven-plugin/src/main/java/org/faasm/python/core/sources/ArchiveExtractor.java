package org.faasm.python.core.sources;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.keyed.KeyedOutput;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * Extracts a (compressed) tar archive, dropping its single top-level directory (a source release)
 * or keeping every path as it is (a sysroot archive). Entries that would
 * land outside the target (absolute paths, {@code ..}, links pointing out) are rejected. The tree is
 * written to a temporary directory and moved into place only when complete.
 */
public final class ArchiveExtractor {
    private ArchiveExtractor() {}

    /** Extracts a source release: its single top-level directory is dropped. */
    public static void extract(Path archive, Path target) {
        extract(archive, target, true);
    }

    public static void extract(Path archive, Path target, boolean stripTopLevel) {
        unpack("Archive", archive, target, tmp -> extractInto(archive, tmp, stripTopLevel));
    }

    private interface Filler {
        void fill(Path tmp) throws IOException;
    }

    /**
     * Fills a temporary sibling of {@code target} and moves it into place; nothing is left behind when
     * the archive turns out corrupt.
     */
    private static void unpack(String kind, Path archive, Path target, Filler filler) {
        Path tmp = AtomicFiles.tempSibling(target);
        try {
            Files.createDirectories(tmp);
            filler.fill(tmp);
            FileTrees.deleteRecursively(target);
            Files.move(tmp, target);
        } catch (IOException e) {
            throw new FaasmException(kind + " " + archive + " is corrupt or truncated: " + e.getMessage(), archive.toString(),
                    "delete the file (it is re-fetched and verified on the next build) or supply a good copy", e);
        } finally {
            FileTrees.deleteRecursively(tmp);
        }
    }

    /**
     * Extracts an archive with its paths kept into {@code dir}, once per archive content (a
     * verified {@link KeyedOutput} keyed by the archive's sha256: a changed file makes it extract
     * again). {@code check} sees the extracted tree
     * before it is moved into place and may refuse it by throwing.
     *
     * @return true when the archive was extracted, false when {@code dir} was up to date
     */
    public static boolean extractOnce(Path archive, Path dir, Consumer<Path> check, Log log) {
        BuildInputs inputs = new BuildInputs().put("archive", "sha256:" + Digests.sha256(archive));
        return KeyedOutput.directory("Unpacked " + archive.getFileName(), dir, inputs).verified().make(log, tmp -> {
            extract(archive, tmp, false);
            check.accept(tmp);
        });
    }

    /** Where a Debian binary package of a Python 3 package installs its modules. */
    public static final String DEBIAN_PYTHON_PACKAGES = "usr/lib/python3/dist-packages";

    /**
     * Extracts a Debian binary package into {@code target} and returns its Python packages directory
     * ({@link #DEBIAN_PYTHON_PACKAGES}), or empty when the package installs none.
     */
    public static Optional<Path> extractDebianPythonPackages(Path deb, Path target) {
        extractDebianPackage(deb, target);
        Path dist = target.resolve(DEBIAN_PYTHON_PACKAGES);
        return Files.isDirectory(dist) ? Optional.of(dist) : Optional.empty();
    }

    /**
     * Extracts the files of a Debian binary package ({@code .deb}: an ar archive holding
     * {@code data.tar.*}) with their paths as they are, e.g. {@code usr/lib/python3/dist-packages/six.py}.
     */
    public static void extractDebianPackage(Path deb, Path target) {
        unpack("Debian package", deb, target, tmp -> {
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(deb));
                    ArArchiveInputStream ar = new ArArchiveInputStream(raw)) {
                for (ArArchiveEntry e = ar.getNextArEntry(); e != null; e = ar.getNextArEntry()) {
                    if (e.getName().startsWith("data.tar")) {
                        extractTar(new BufferedInputStream(ar), deb, tmp, false);
                        return;
                    }
                }
                throw new IOException("no data.tar member");
            }
        });
    }

    private static void extractInto(Path archive, Path root, boolean stripTopLevel) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
            extractTar(raw, archive, root, stripTopLevel);
        }
    }

    private static void extractTar(InputStream raw, Path archive, Path root, boolean stripTopLevel) throws IOException {
        Path normRoot = root.toAbsolutePath().normalize();
        try (InputStream decompressed = decompress(raw);
                TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
            TarArchiveEntry entry;
            int count = 0;
            while ((entry = tar.getNextEntry()) != null) {
                String name = stripTopLevel ? stripTop(entry.getName()) : clean(entry.getName());
                if (name.isEmpty()) {
                    continue;
                }
                Path dest = safeResolve(normRoot, name, archive);
                count++;
                if (entry.isDirectory()) {
                    Files.createDirectories(dest);
                } else if (entry.isSymbolicLink()) {
                    String linkTarget = entry.getLinkName();
                    Path resolved = dest.getParent().resolve(linkTarget).normalize();
                    if (Path.of(linkTarget).isAbsolute() || !resolved.startsWith(normRoot)) {
                        throw unsafe(archive, entry.getName() + " -> " + linkTarget);
                    }
                    Files.createDirectories(dest.getParent());
                    Files.deleteIfExists(dest);
                    Files.createSymbolicLink(dest, Path.of(linkTarget));
                } else if (entry.isLink()) {
                    Path linked = safeResolve(normRoot, stripTopLevel ? stripTop(entry.getLinkName()) : clean(entry.getLinkName()), archive);
                    Files.createDirectories(dest.getParent());
                    Files.copy(linked, dest, StandardCopyOption.REPLACE_EXISTING);
                } else if (entry.isFile()) {
                    Files.createDirectories(dest.getParent());
                    Files.copy(tar, dest, StandardCopyOption.REPLACE_EXISTING);
                    setMode(dest, entry.getMode());
                }
                // device files, fifos and the like are skipped
            }
            if (count == 0) {
                throw new IOException("no entries");
            }
        }
    }

    private static InputStream decompress(InputStream in) throws IOException {
        try {
            String kind = CompressorStreamFactory.detect(in);
            return new CompressorStreamFactory().createCompressorInputStream(kind, in);
        } catch (CompressorException e) {
            // not compressed (or unknown): read it as a plain tar
            return in;
        }
    }

    private static String clean(String name) {
        String n = name.replace('\\', '/');
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        return n;
    }

    private static String stripTop(String name) {
        String n = clean(name);
        int slash = n.indexOf('/');
        if (slash < 0) {
            return n.startsWith("/") ? n : "";
        }
        return slash == 0 ? n : n.substring(slash + 1);
    }

    private static Path safeResolve(Path root, String name, Path archive) {
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            throw unsafe(archive, name);
        }
        Path dest = root.resolve(name).normalize();
        if (!dest.startsWith(root)) {
            throw unsafe(archive, name);
        }
        return dest;
    }

    private static FaasmException unsafe(Path archive, String entry) {
        return new FaasmException("Archive " + archive + " has an entry that would land outside the target directory: " + entry,
                archive.toString(), "do not use this archive; fetch the release archive again and check its sha256");
    }

    private static void setMode(Path file, int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        perms.add(PosixFilePermission.OWNER_READ);
        perms.add(PosixFilePermission.OWNER_WRITE);
        perms.add(PosixFilePermission.GROUP_READ);
        perms.add(PosixFilePermission.OTHERS_READ);
        if ((mode & 0100) != 0) {
            perms.add(PosixFilePermission.OWNER_EXECUTE);
            perms.add(PosixFilePermission.GROUP_EXECUTE);
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        try {
            Files.setPosixFilePermissions(file, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set permissions of " + file, e);
        }
    }
}
