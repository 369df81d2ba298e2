package org.faasm.python.core.runner;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.faasm.python.core.util.AtomicFiles;
import org.faasm.python.core.util.Digests;

/**
 * The instance state after {@code _faasm_zygote}: linear memory and globals. Kept in the user cache
 * (compressed, with a sha256 of its content) so a new JVM restores it instead of starting the
 * interpreter again. A file that does not verify is ignored.
 */
public record ZygoteSnapshot(byte[] memory, long[][] globals) {
    private static final int MAGIC = 0x5A59474F; // "ZYGO"

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
        } catch (IOException e) {
            // a cache that cannot be written only costs time
        }
    }

    /** The snapshot in {@code file}, or null when there is none or it does not verify. */
    public static ZygoteSnapshot load(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file); DataInputStream header = new DataInputStream(in)) {
            if (header.readInt() != MAGIC) {
                return null;
            }
            String sha = header.readUTF();
            MessageDigest md = Digests.sha256();
            DataInputStream body = new DataInputStream(new InflaterInputStream(new DigestInputStream(header, md)));
            long[][] globals = new long[body.readInt()][];
            for (int i = 0; i < globals.length; i++) {
                globals[i] = new long[] {body.readLong(), body.readLong()};
            }
            byte[] memory = new byte[body.readInt()];
            body.readFully(memory);
            body.transferTo(java.io.OutputStream.nullOutputStream());
            header.transferTo(new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), md));
            return Digests.hex(md.digest()).equals(sha) ? new ZygoteSnapshot(memory, globals) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
