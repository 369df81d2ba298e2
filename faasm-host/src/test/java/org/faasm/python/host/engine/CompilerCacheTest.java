package org.faasm.python.host.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache of compiled JVM bytecode. */
class CompilerCacheTest {
    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void compiledBytecodeIsReadBackOnlyWhenItVerifies() throws Exception {
        CompilerCache cache = new CompilerCache(tmp.resolve("c"));
        cache.putIfAbsent("sha-256:abc", b("classes"));
        assertArrayEquals(b("classes"), cache.get("sha-256:abc"));
        assertNull(cache.get("sha-256:other"));

        Path file;
        try (var s = Files.list(tmp.resolve("c"))) {
            file = s.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);
        assertNull(cache.get("sha-256:abc"), "damaged bytecode is not loaded");

        CompilerCache withShipped = new CompilerCache(tmp.resolve("user"), tmp.resolve("shipped"));
        new CompilerCache(tmp.resolve("shipped")).putIfAbsent("k", b("shipped"));
        assertArrayEquals(b("shipped"), withShipped.get("k"));
    }

    private static byte[] compilerArchive(java.time.LocalDateTime time, String comment) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(buf)) {
            java.util.zip.ZipEntry p = new java.util.zip.ZipEntry("wasm-module.properties");
            p.setTimeLocal(time);
            out.putNextEntry(p);
            out.write(("#\n#" + comment + "\nmainClass=com.example.Machine\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            java.util.zip.ZipEntry c = new java.util.zip.ZipEntry("com/example/Machine.class");
            c.setTimeLocal(time);
            out.putNextEntry(c);
            out.write(new byte[] {(byte) 0xca, (byte) 0xfe, 1, 2, 3});
        }
        return buf.toByteArray();
    }

    @Test
    void twoTranslationsOfOneModuleAreStoredAsTheSameBytes() throws IOException {
        byte[] a = compilerArchive(java.time.LocalDateTime.of(2026, 11, 29, 3, 22), "Sun Nov 29 03:22:08 UTC 2026");
        byte[] b = compilerArchive(java.time.LocalDateTime.of(2026, 11, 29, 3, 25), "Sun Nov 29 03:25:56 UTC 2026");
        assertFalse(java.util.Arrays.equals(a, b));

        byte[] ca = CompilerCache.canonical(a);
        assertArrayEquals(ca, CompilerCache.canonical(b));
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(ca))) {
            assertEquals("wasm-module.properties", in.getNextEntry().getName());
            assertEquals("mainClass=com.example.Machine\n", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals("com/example/Machine.class", in.getNextEntry().getName());
            assertArrayEquals(new byte[] {(byte) 0xca, (byte) 0xfe, 1, 2, 3}, in.readAllBytes());
        }
    }
}
