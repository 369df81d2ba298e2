package org.faasm.python.core.runner;

import com.dylibso.chicory.compiler.Cache;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.faasm.python.core.util.AtomicFiles;
import org.faasm.python.core.util.Digests;

/**
 * Keeps the JVM bytecode that Chicory's compiler makes from a wasm module (keyed by the module's
 * digest) in the user cache, so a module is translated once per machine rather than once per JVM.
 * The directory is per Chicory version. Each file holds its key and the sha256 of its data; a file
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

    @Override
    public void putIfAbsent(String key, byte[] data) throws IOException {
        Path f = file(key);
        if (get(key) != null) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 200);
        out.write((key + "\n" + Digests.sha256(data) + "\n").getBytes(StandardCharsets.UTF_8));
        out.write(data);
        Files.createDirectories(dir);
        AtomicFiles.write(f, out.toByteArray());
    }
}
