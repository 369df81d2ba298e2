package org.faasm.python.host.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;
import run.endive.compiler.Cache;

/**
 * Keeps the JVM bytecode that Endive's compiler makes from a wasm module (keyed by the module's
 * digest) in the user cache, so a module is translated once per machine rather than once per JVM.
 * The directory is per Endive version. Each file holds its key and the sha256 of its data; a file
 * that does not match is ignored and replaced.
 */
public final class CompilerCache implements Cache {
    private final Path dir;
    private final Path readOnly;

    public CompilerCache(Path dir) {
        this(dir, null);
    }

    /**
     * @param dir where new entries are written
     * @param readOnly a directory consulted first and never written, such as bytecode shipped beside
     *     the wasm; may be null
     */
    public CompilerCache(Path dir, Path readOnly) {
        this.dir = dir;
        this.readOnly = readOnly;
    }

    /** True when {@code dir} holds bytecode for {@code key}. */
    public static boolean holds(Path dir, String key) {
        return dir != null && Files.isRegularFile(file(dir, key));
    }

    private Path file(String key) {
        return file(dir, key);
    }

    private static Path file(Path d, String key) {
        return d.resolve(Digests.sha256(key) + ".bin");
    }

    @Override
    public byte[] get(String key) throws IOException {
        if (readOnly != null) {
            byte[] shipped = read(file(readOnly, key), key);
            if (shipped != null) {
                return shipped;
            }
        }
        return read(file(key), key);
    }

    private static byte[] read(Path f, String key) throws IOException {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        byte[] all = Files.readAllBytes(f);
        String header = key + "\n";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        if (all.length < h.length + 65 || !Arrays.equals(all, 0, h.length, h, 0, h.length)) {
            return null;
        }
        String sha = new String(all, h.length, 64, StandardCharsets.US_ASCII);
        byte[] data = Arrays.copyOfRange(all, h.length + 65, all.length);
        return sha.equals(Digests.sha256(data)) ? data : null;
    }

    /** Entry times in the bytecode archives: fixed, so the same module gives the same bytes. */
    static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    /**
     * The compiler's archive (a zip of class files and a properties file) without what makes two
     * translations of one module differ: entry times and the date comment of the properties file.
     * Anything that is not such a zip is kept as it is.
     */
    static byte[] canonical(byte[] data) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(data))) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(data.length);
            int entries = 0;
            try (ZipOutputStream out = new ZipOutputStream(buf)) {
                ZipEntry e;
                while ((e = in.getNextEntry()) != null) {
                    byte[] content = in.readAllBytes();
                    if (e.getName().endsWith(".properties")) {
                        content = new String(content, StandardCharsets.ISO_8859_1).lines().filter(l -> !l.startsWith("#"))
                                .map(l -> l + "\n").reduce("", String::concat).getBytes(StandardCharsets.ISO_8859_1);
                    }
                    ZipEntry copy = new ZipEntry(e.getName());
                    copy.setTimeLocal(ENTRY_TIME);
                    out.putNextEntry(copy);
                    out.write(content);
                    out.closeEntry();
                    entries++;
                }
            }
            return entries == 0 ? data : buf.toByteArray();
        } catch (IOException e) {
            return data;
        }
    }

    @Override
    public void putIfAbsent(String key, byte[] data) throws IOException {
        Path f = file(key);
        if (get(key) != null) {
            return;
        }
        byte[] canonical = canonical(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(canonical.length + 200);
        out.write((key + "\n" + Digests.sha256(canonical) + "\n").getBytes(StandardCharsets.UTF_8));
        out.write(canonical);
        Files.createDirectories(dir);
        AtomicFiles.write(f, out.toByteArray());
    }
}
