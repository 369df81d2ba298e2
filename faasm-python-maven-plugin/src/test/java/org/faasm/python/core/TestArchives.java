package org.faasm.python.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds small tar.gz archives for tests. */
public final class TestArchives {
    private TestArchives() {}

    /** Regular files by entry name; a value starting with "->" makes a symbolic link. */
    public static Path tarGz(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                GZIPOutputStream gz = new GZIPOutputStream(out);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> e : entries.entrySet()) {
                if (e.getValue().startsWith("->")) {
                    TarArchiveEntry link = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_SYMLINK);
                    link.setLinkName(e.getValue().substring(2));
                    tar.putArchiveEntry(link);
                } else {
                    byte[] data = e.getValue().getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                    entry.setSize(data.length);
                    entry.setMode(e.getKey().endsWith(".sh") || e.getKey().endsWith("configure") ? 0100755 : 0100644);
                    tar.putArchiveEntry(entry);
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            }
        }
        return file;
    }
}
