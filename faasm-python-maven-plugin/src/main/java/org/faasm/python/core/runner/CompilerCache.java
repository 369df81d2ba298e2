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

    public CompilerCache(Path dir) {
        this.dir = dir;
    }

    private Path file(String key) {
        return dir.resolve(Digests.sha256(key) + ".bin");
    }

    @Override
    public byte[] get(String key) throws IOException {
        Path f = file(key);
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
