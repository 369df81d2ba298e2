package org.faasm.python.core.runner;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.faasm.python.core.util.AtomicFiles;
import org.faasm.python.core.util.Digests;

/**
 * The instance state after {@code _faasm_zygote}: linear memory and globals. Kept in the user cache
 * under a key of what it was made from (compressed, with a sha256 of its bytes) so a new JVM restores
 * it instead of starting the interpreter again. A file is checked before it is trusted: its digest
 * first, then every size against the limits, so a damaged file is reported and made again, never
 * read into a huge allocation.
 */
public record ZygoteSnapshot(byte[] memory, long[][] globals) {
    private static final int MAGIC = 0x5A594732; // "ZYG2"
    private static final int MAX_GLOBALS = 1 << 16;
    private static final long MAX_FILE = 1L << 32;

    /** What loading found: a snapshot, or why there is none usable. */
    public record Loaded(ZygoteSnapshot snapshot, String problem) {}

    public void save(Path file) {
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream(memory.length / 4);
            try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(raw))) {
                out.writeInt(globals.length);
                for (long[] g : globals) {
                    out.writeLong(g[0]);
                    out.writeLong(g[1]);
                }
                out.writeInt(memory.length);
                out.write(memory);
            }
            byte[] body = raw.toByteArray();
            ByteArrayOutputStream all = new ByteArrayOutputStream(body.length + 80);
            DataOutputStream header = new DataOutputStream(all);
            header.writeInt(MAGIC);
            header.writeUTF(Digests.sha256(body));
            header.write(body);
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, all.toByteArray());
        } catch (IOException | RuntimeException e) {
            // a cache that cannot be written only costs time
        }
    }

    /**
     * The snapshot in {@code file}: empty problem and null snapshot when there is no file; a problem
     * when it is damaged or does not fit {@code maxMemoryBytes}.
     */
    public static Loaded load(Path file, long maxMemoryBytes) {
        if (!Files.isRegularFile(file)) {
            return new Loaded(null, null);
        }
        try {
            long size = Files.size(file);
            if (size > MAX_FILE) {
                return new Loaded(null, "it is " + size + " bytes, larger than any snapshot");
            }
            byte[] all = Files.readAllBytes(file);
            DataInputStream header = new DataInputStream(new ByteArrayInputStream(all));
            if (all.length < 8 || header.readInt() != MAGIC) {
                return new Loaded(null, "it is not a zygote snapshot of this version");
            }
            String sha = header.readUTF();
            int bodyAt = all.length - header.available();
            byte[] body = Arrays.copyOfRange(all, bodyAt, all.length);
            if (!Digests.sha256(body).equals(sha)) {
                return new Loaded(null, "its content does not match its sha256 (truncated or damaged)");
            }
            DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(body)));
            int count = in.readInt();
            if (count < 0 || count > MAX_GLOBALS) {
                return new Loaded(null, "it claims " + count + " globals");
            }
            long[][] globals = new long[count][];
            for (int i = 0; i < count; i++) {
                globals[i] = new long[] {in.readLong(), in.readLong()};
            }
            int length = in.readInt();
            if (length < 0 || length % 65536 != 0 || length > maxMemoryBytes) {
                return new Loaded(null, "it claims " + length + " bytes of memory (limit " + maxMemoryBytes + ")");
            }
            byte[] memory = new byte[length];
            in.readFully(memory);
            if (in.read() != -1) {
                return new Loaded(null, "it has bytes after the memory image");
            }
            return new Loaded(new ZygoteSnapshot(memory, globals), null);
        } catch (EOFException e) {
            return new Loaded(null, "it ends too early");
        } catch (IOException | RuntimeException e) {
            return new Loaded(null, "it cannot be read (" + e + ")");
        }
    }
}
