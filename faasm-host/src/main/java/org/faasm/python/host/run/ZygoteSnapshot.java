package org.faasm.python.host.run;

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
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;

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

    /**
     * What the state after the zygote depends on, by content: the entrypoint's digest, the runtime
     * root's (its verified stamp, or its files), the conf flags and the guest environment. The mounts
     * are the same for every function.
     */
    static String key(String moduleSha256, String engine, String runtimeKey, java.util.Set<String> confFlags,
            java.util.Map<String, String> environment) {
        StringBuilder sb = new StringBuilder("zygote-2\n");
        sb.append(moduleSha256).append('\n');
        // globals are engine-specific (all of them on the JVM engine, the mutable ones on wasmtime)
        sb.append(engine).append('\n');
        sb.append(runtimeKey).append('\n');
        sb.append(new java.util.TreeSet<>(confFlags)).append('\n');
        sb.append(new java.util.TreeMap<>(environment)).append('\n');
        return org.faasm.python.host.util.Digests.sha256(sb.toString());
    }

    /**
     * The runtime root's identity by content. A root inside a sysroot with a verified stamp is checked
     * against it (once per JVM, and again when a file's size or time changed since a check recorded in
     * {@code cache}) and a changed file is an error; any other root is keyed by the digest of its
     * files.
     */
    static String runtimeRootKey(Path runtimeRoot, Path cache) {
        Path sysroot = runtimeRoot.toAbsolutePath().getParent();
        java.util.Optional<org.faasm.python.host.keyed.KeyedOutput.Check> check = org.faasm.python.host.keyed.KeyedOutput.checkStamped(sysroot, java.util.List.of(runtimeRoot.getFileName().toString()), cache);
        if (check.isPresent()) {
            java.util.List<String> damaged = check.get().damaged();
            if (!damaged.isEmpty()) {
                throw new org.faasm.python.host.FaasmException("The runtime root " + runtimeRoot + " does not match its sysroot's stamp: "
                        + String.join(", ", damaged.subList(0, Math.min(5, damaged.size())))
                        + (damaged.size() > 5 ? " and " + (damaged.size() - 5) + " more" : ""), sysroot.toString(),
                        "make it again: './mvnw package' in the reactor that builds it, or 'mvn faasm-python:sysroot' for an unpacked"
                                + " sysroot archive (both replace a changed tree)");
            }
            return "stamp:" + check.get().key();
        }
        return "files:" + org.faasm.python.host.util.Digests.sha256(org.faasm.python.host.util.FileTrees.formatManifest(
                org.faasm.python.host.util.FileTrees.manifest(runtimeRoot)));
    }
}
