package org.faasm.python.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.faasm.python.core.FaasmPaths;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.UserCache;

/** The reactor's checkout, fresh copies of it elsewhere, and Maven runs in them. */
final class Checkouts {
    static final Path ROOT = Path.of(System.getProperty("faasm.root", "..")).toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("faasm.version", "0.1.0-SNAPSHOT");
    /** The modules a release builds (release-it itself is left out). */
    static final String RELEASE_MODULES = "faasm-host,faasm-python-maven-plugin,pyfaasm-module,modules-module,cpython-module";

    private Checkouts() {}

    /** The user cache this build uses (where the reactor's own build left its entries and sources). */
    static Path userCache() {
        return UserCache.root(null, System.getenv(), System.getProperty("user.home"));
    }

    /**
     * A fresh checkout of the reactor in {@code dest}: the files git tracks, as they are in the
     * working tree (what a clone of this commit holds).
     */
    static Path copy(Path dest) throws Exception {
        Process p = new ProcessBuilder("git", "ls-files", "-z").directory(ROOT.toFile()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "git ls-files failed in " + ROOT);
        for (String rel : out.split("\0")) {
            if (rel.isEmpty() || !Files.exists(ROOT.resolve(rel))) {
                continue;
            }
            Path to = dest.resolve(rel);
            Files.createDirectories(to.getParent());
            Files.copy(ROOT.resolve(rel), to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        return dest;
    }

    /** A cache directory holding only the verified source archives of the user cache (inputs, not build outputs). */
    static Path cacheWithSources(Path dir) {
        Path sources = FaasmPaths.sources(userCache());
        if (Files.isDirectory(sources)) {
            FileTrees.copyTree(sources, FaasmPaths.sources(dir));
        }
        return dir;
    }

    /**
     * A cache directory holding the user cache's verified source archives and its native build
     * python (a build-machine tool, which no output embeds): what a second cold build of the wasm
     * side needs to be about reproducibility, and not about building the native python twice.
     */
    static Path cacheWithSourcesAndNativePython(Path dir) {
        cacheWithSources(dir);
        Path nativePython = FaasmPaths.builds(userCache()).resolve("native-python");
        assertTrue(Files.isDirectory(nativePython), "the reactor's build left no native build python in " + nativePython);
        FileTrees.copyTree(nativePython, FaasmPaths.builds(dir).resolve("native-python"));
        return dir;
    }

    /** Runs ./mvnw in {@code checkout} with the build's local repository; the output goes to {@code log}. */
    static int mvn(Path checkout, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(checkout.resolve("mvnw").toString(), "-B", "-ntp",
                "-Dmaven.repo.local=" + System.getProperty("faasm.localRepository")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(checkout.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("MAVEN_ARGS");
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.MINUTES), "mvn timed out after 30 minutes: " + cmd);
        return p.exitValue();
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /**
     * Asserts that an output has the same bytes in two checkouts. When it does not, a tar.gz's
     * differing entries are named in the message, and both copies are kept under
     * release-it/target/differing/ to compare by hand.
     */
    static void assertSameBytes(Path checkout, String output, String what) throws Exception {
        Path a = ROOT.resolve(output);
        Path b = checkout.resolve(output);
        String expected = sha256(a);
        String actual = sha256(b);
        if (expected.equals(actual)) {
            return;
        }
        String detail = "";
        Path keep = ROOT.resolve("release-it/target/differing");
        Files.createDirectories(keep);
        String name = a.getFileName().toString();
        Files.copy(a, keep.resolve("reactor-" + name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(b, keep.resolve(what.replaceAll("\\W+", "-") + "-" + name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (name.endsWith(".tar.gz")) {
            java.util.Map<String, String> left = tarEntries(a);
            java.util.Map<String, String> right = tarEntries(b);
            java.util.TreeSet<String> names = new java.util.TreeSet<>(left.keySet());
            names.addAll(right.keySet());
            List<String> differing = new ArrayList<>();
            for (String n : names) {
                if (!java.util.Objects.equals(left.get(n), right.get(n))) {
                    differing.add(n + (left.containsKey(n) ? "" : " (only in " + what + ")") + (right.containsKey(n) ? "" : " (only in the reactor)"));
                }
            }
            detail = "\n" + differing.size() + " entries differ" + (differing.isEmpty() ? " (only the archive's headers)" : ":\n  "
                    + String.join("\n  ", differing.subList(0, Math.min(40, differing.size()))));
        }
        assertEquals(expected, actual, output + " differs between the reactor and " + what + " (both kept in " + keep + ")" + detail);
    }

    /** Each entry of a tar.gz with the sha256 of its content (and its mode and link target, if any). */
    private static java.util.Map<String, String> tarEntries(Path file) throws Exception {
        java.util.Map<String, String> entries = new java.util.TreeMap<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.util.zip.GZIPInputStream(new java.io.BufferedInputStream(Files.newInputStream(file))))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), Digests.sha256(in.readAllBytes()) + " " + Integer.toOctalString(e.getMode()) + " "
                        + e.getLinkName() + " " + e.getModTime().getTime());
            }
        }
        return entries;
    }

    /** The artifacts whose bytes must not depend on where or by whom they were built. */
    static List<String> releaseOutputs() {
        return List.of("cpython-module/target/py_func.wasm", "cpython-module/target/cpython-module-" + VERSION + "-sysroot.tar.gz");
    }

    static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
