package org.faasm.python.core.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.FileTrees;

/**
 * A reproducible {@code .tar.gz}: entries sorted by path, one fixed modification time, owner 0:0,
 * modes normalised to 0644/0755, gzip header without a time stamp. The same inputs give the same bytes.
 */
public final class DeterministicTar {
    private final Map<String, Path> files = new TreeMap<>();
    private final Map<String, String> links = new TreeMap<>();
    private final long mtimeMillis;

    public DeterministicTar(long mtimeMillis) {
        this.mtimeMillis = mtimeMillis;
    }

    /** Adds one file at {@code archivePath}. */
    public DeterministicTar add(String archivePath, Path file) {
        files.put(clean(archivePath), file);
        return this;
    }

    /** Adds a symbolic link at {@code archivePath} pointing to {@code target} (kept as it is). */
    public DeterministicTar addLink(String archivePath, String target) {
        links.put(clean(archivePath), target);
        return this;
    }

    /** Adds every regular file and symbolic link below {@code dir} under {@code archivePrefix} ("" for the top). */
    public DeterministicTar addTree(String archivePrefix, Path dir) {
        String prefix = clean(archivePrefix).isEmpty() ? "" : clean(archivePrefix) + "/";
        for (String rel : FileTrees.listFiles(dir)) {
            add(prefix + rel, dir.resolve(rel));
        }
        FileTrees.listLinks(dir).forEach((rel, target) -> addLink(prefix + rel, target));
        return this;
    }

    public int size() {
        return files.size() + links.size();
    }

    private static String clean(String p) {
        String s = p.replace('\\', '/');
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Writes the archive to a temporary name and moves it to {@code target}. */
    public void write(Path target) {
        TreeSet<String> dirs = new TreeSet<>();
        TreeSet<String> names = new TreeSet<>(files.keySet());
        names.addAll(links.keySet());
        for (String f : names) {
            for (int i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) {
                dirs.add(f.substring(0, i));
            }
        }
        TreeMap<String, Path> all = new TreeMap<>();
        for (String d : dirs) {
            all.put(d + "/", null);
        }
        files.forEach(all::put);
        links.keySet().forEach(l -> all.put(l, null));
        Path tmp = AtomicFiles.tempSibling(target);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (OutputStream fos = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                    GZIPOutputStream gz = new GZIPOutputStream(fos, 1 << 16) {
                        {
                            def.setLevel(Deflater.BEST_SPEED + 5);
                        }
                    };
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Map.Entry<String, Path> e : all.entrySet()) {
                    Path src = e.getValue();
                    TarArchiveEntry entry;
                    if (links.containsKey(e.getKey())) {
                        entry = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_SYMLINK);
                        entry.setLinkName(links.get(e.getKey()));
                        entry.setMode(0120777);
                    } else if (src == null) {
                        entry = new TarArchiveEntry(e.getKey());
                        entry.setMode(040755);
                    } else {
                        entry = new TarArchiveEntry(e.getKey());
                        entry.setSize(Files.size(src));
                        entry.setMode(Files.isExecutable(src) ? 0100755 : 0100644);
                    }
                    entry.setModTime(mtimeMillis);
                    entry.setUserId(0);
                    entry.setGroupId(0);
                    entry.setUserName("root");
                    entry.setGroupName("root");
                    tar.putArchiveEntry(entry);
                    if (src != null) {
                        if (!Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(src)) {
                            throw new IOException("not a file: " + src);
                        }
                        Files.copy(src, tar);
                    }
                    tar.closeArchiveEntry();
                }
                tar.finish();
            }
            AtomicFiles.moveReplacing(tmp, target);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
