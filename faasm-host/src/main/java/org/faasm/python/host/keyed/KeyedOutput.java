package org.faasm.python.host.keyed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * An output (a directory or one file) made from named {@link BuildInputs}: the one mechanism behind
 * every step that is skipped when nothing changed. A <em>stamp</em> records the inputs' key, the
 * inputs themselves (so a rebuild says what changed) and, for a file, the file's sha256; a
 * directory keeps its stamp inside ({@value #STAMP}), a file beside it. With {@link #verified()}
 * the stamp also lists the sha256 of every file and the content is checked against it before it is
 * trusted (once per JVM).
 *
 * <p>{@link #make} builds into a temporary sibling, writes the stamp, and moves the result into
 * place in one rename; a failed step leaves the previous output as it was and no temporary files.
 */
public final class KeyedOutput {
    /** The stamp file inside a directory output. */
    public static final String STAMP = ".faasm-key";
    private static final String HEADER = "faasm-keyed-output 1";
    /** Verified directories (by path and stamp) in this JVM: one build checks each once. */
    private static final Set<String> VERIFIED = ConcurrentHashMap.newKeySet();

    /** Makes the output at a temporary path (a created, empty directory, or a file path to write). */
    @FunctionalInterface
    public interface Step {
        void make(Path tmp) throws IOException;
    }

    private final String what;
    private final Path target;
    private final Path stampFile;
    private final boolean directory;
    private final boolean verified;
    private final BuildInputs inputs;

    private KeyedOutput(String what, Path target, Path stampFile, boolean directory, boolean verified, BuildInputs inputs) {
        this.what = what;
        this.target = target.toAbsolutePath();
        this.stampFile = stampFile.toAbsolutePath();
        this.directory = directory;
        this.verified = verified;
        this.inputs = inputs;
    }

    /** A directory output, its stamp inside it. */
    public static KeyedOutput directory(String what, Path dir, BuildInputs inputs) {
        return new KeyedOutput(what, dir, dir.resolve(STAMP), true, false, inputs);
    }

    /** A single-file output, its stamp in {@code stampFile}. */
    public static KeyedOutput file(String what, Path file, Path stampFile, BuildInputs inputs) {
        return new KeyedOutput(what, file, stampFile, false, false, inputs);
    }

    /** The same output, its content recorded in the stamp and checked before use. */
    public KeyedOutput verified() {
        return new KeyedOutput(what, target, stampFile, directory, true, inputs);
    }

    public Path target() {
        return target;
    }

    public String key() {
        return inputs.key();
    }

    public BuildInputs inputs() {
        return inputs;
    }

    /** Forgets which outputs this JVM verified, as a new build would. */
    public static void forgetVerified() {
        VERIFIED.clear();
    }

    /** What a stamp says. */
    record Stamp(String key, String outputSha256, Map<String, String> inputs, Map<String, String> manifest) {}

    static Optional<Stamp> readStamp(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
                return Optional.empty();
            }
            String key = null;
            String sha = null;
            Map<String, String> in = new TreeMap<>();
            Map<String, String> manifest = new TreeMap<>();
            for (String line : lines.subList(1, lines.size())) {
                int sp = line.indexOf(' ');
                if (sp < 0) {
                    return Optional.empty();
                }
                String rest = line.substring(sp + 1);
                switch (line.substring(0, sp)) {
                    case "key" -> key = rest;
                    case "output" -> sha = rest;
                    case "input" -> {
                        int eq = rest.indexOf('=');
                        in.put(rest.substring(0, eq), rest.substring(eq + 1).replace("\\n", "\n"));
                    }
                    case "file" -> manifest.put(rest.substring(65), rest.substring(0, 64));
                    default -> {
                        return Optional.empty();
                    }
                }
            }
            return key == null ? Optional.empty() : Optional.of(new Stamp(key, sha, in, manifest));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private String stampText(Path built) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("key ").append(key()).append('\n');
        if (!directory) {
            sb.append("output ").append(Digests.sha256(built)).append('\n');
        }
        for (String line : inputs.canonical().split("\n")) {
            if (!line.isEmpty()) {
                sb.append("input ").append(line).append('\n');
            }
        }
        if (verified && directory) {
            contentManifest(built).forEach((rel, sha) -> sb.append("file ").append(sha).append(' ').append(rel).append('\n'));
        }
        return sb.toString();
    }

    private static Map<String, String> contentManifest(Path dir) {
        Map<String, String> m = FileTrees.manifest(dir);
        m.remove(STAMP);
        return m;
    }

    /** Why the output cannot be used as it is, or empty when it is up to date. */
    public Optional<String> staleness() {
        Optional<Stamp> stamp = readStamp(stampFile);
        if (stamp.isEmpty() || !Files.exists(target)) {
            return Optional.of(Files.exists(target) ? "it has no valid stamp (interrupted or older build)" : "it does not exist yet");
        }
        Stamp s = stamp.get();
        if (!s.key().equals(key())) {
            List<String> changes = inputs.changesSince(s.inputs());
            return Optional.of("changed since the last build: " + (changes.isEmpty() ? "its recipe" : String.join("; ", changes)));
        }
        if (!directory) {
            if (!Files.isRegularFile(target) || !Digests.sha256(target).equals(s.outputSha256())) {
                return Optional.of(target.getFileName() + " was changed or damaged after it was made");
            }
        } else if (verified) {
            if (!VERIFIED.contains(verifiedId())) {
                if (s.manifest().isEmpty()) {
                    return Optional.of("its stamp lists no content (made by an older build)");
                }
                if (!contentManifest(target).equals(s.manifest())) {
                    return Optional.of("its content does not match its manifest (changed or damaged)");
                }
                markVerified();
            }
        }
        return Optional.empty();
    }

    public boolean upToDate() {
        return staleness().isEmpty();
    }

    /**
     * Makes the output unless it is up to date, logging which: "up to date", or what changed.
     *
     * @return true when the step ran
     */
    public boolean make(Log log, Step step) {
        return make(log, "building", step);
    }

    private boolean make(Log log, String verb, Step step) {
        Optional<String> why = staleness();
        if (why.isEmpty()) {
            log.info(what + " is up to date (key " + key().substring(0, 12) + ")");
            return false;
        }
        log.info(what + ": " + verb + " (" + why.get() + ")");
        Path tmp = AtomicFiles.tempSibling(target);
        try {
            Files.createDirectories(target.getParent());
            if (directory) {
                Files.createDirectories(tmp);
            }
            step.make(tmp);
            if (!Files.exists(tmp)) {
                throw new IOException("the step made no " + (directory ? "directory" : "file") + " at " + tmp);
            }
            install(tmp);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + what + " at " + target, e);
        } finally {
            FileTrees.deleteRecursively(tmp);
        }
    }

    private String verifiedId() {
        return target + "@" + key();
    }

    /** Records that a verified output in place matches its manifest (checked once per JVM). */
    private void markVerified() {
        if (verified) {
            VERIFIED.add(verifiedId());
        }
    }

    /** Seals a finished candidate with its stamp and moves it into place. */
    private void install(Path tmp) throws IOException {
        String stamp = stampText(tmp);
        if (directory) {
            Files.writeString(tmp.resolve(STAMP), stamp);
            FileTrees.deleteRecursively(target);
            Files.move(tmp, target);
            markVerified();
        } else {
            AtomicFiles.moveReplacing(tmp, target);
            AtomicFiles.writeString(stampFile, stamp);
        }
    }

    /**
     * Takes a directory made elsewhere (a team-cache entry) in place of building: accepted only when
     * its stamp is for exactly these inputs and, for a verified output, its files match the stamp's
     * manifest. The candidate is moved into place or deleted.
     *
     * @return empty when adopted, else why it was refused
     */
    public Optional<String> adopt(Path candidate) {
        try {
            Optional<Stamp> stamp = readStamp(candidate.resolve(STAMP));
            if (stamp.isEmpty()) {
                return Optional.of("it has no valid stamp");
            }
            Stamp s = stamp.get();
            BuildInputs theirs = new BuildInputs();
            s.inputs().forEach(theirs::put);
            if (!s.key().equals(key()) || !theirs.key().equals(key())) {
                return Optional.of("it was made from other inputs (key " + s.key() + ", expected " + key() + ")");
            }
            if (verified && !contentManifest(candidate).equals(s.manifest())) {
                return Optional.of("its files do not match its manifest");
            }
            FileTrees.deleteRecursively(target);
            Files.createDirectories(target.getParent());
            Files.move(candidate, target);
            markVerified();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("it could not be moved into place: " + e);
        } finally {
            FileTrees.deleteRecursively(candidate);
        }
    }

    /**
     * Copies {@code source} (a cache entry's directory, or one of its files for a file output) to
     * this output, stamped with these inputs.
     */
    public void copyFrom(Path source, Log log) {
        make(log, "copying the cached build to " + target, tmp -> {
            if (directory) {
                FileTrees.copyTree(source, tmp);
                Files.deleteIfExists(tmp.resolve(STAMP));
            } else {
                Files.copy(source, tmp);
            }
        });
    }

    /** What {@link #checkStamped} found: the stamp's key and the files that differ from its manifest. */
    public record Check(String key, List<String> damaged) {
        public boolean intact() {
            return damaged.isEmpty();
        }
    }

    /**
     * Checks the files of a verified directory output under the given sub-directories against its
     * stamp's manifest, without knowing its inputs (a consumer of the output, such as the local host,
     * checks what it is about to use). An intact result is remembered for this JVM.
     *
     * <p>With {@code fingerprints} (a cache directory), an intact result is also recorded there with
     * a fingerprint of the files' sizes, times and identities; a later JVM that finds the same
     * fingerprint skips hashing the content again.
     *
     * @return empty when the directory has no stamp with a manifest
     */
    public static Optional<Check> checkStamped(Path dir, List<String> subdirs, Path fingerprints) {
        Optional<Stamp> stamp = readStamp(dir.resolve(STAMP));
        if (stamp.isEmpty() || stamp.get().manifest().isEmpty()) {
            return Optional.empty();
        }
        Stamp s = stamp.get();
        String id = dir.toAbsolutePath() + "@" + s.key() + "@" + subdirs;
        if (VERIFIED.contains(id)) {
            return Optional.of(new Check(s.key(), List.of()));
        }
        Path record = fingerprints == null ? null : fingerprints.resolve("verified-" + Digests.sha256(id).substring(0, 32));
        String fingerprint = record == null ? null : statFingerprint(dir, subdirs);
        try {
            if (record != null && Files.isRegularFile(record) && Files.readString(record).equals(fingerprint)) {
                VERIFIED.add(id);
                return Optional.of(new Check(s.key(), List.of()));
            }
        } catch (IOException e) {
            // no usable record: hash the content
        }
        Map<String, String> expected = new TreeMap<>();
        Map<String, String> actual = new TreeMap<>();
        for (String sub : subdirs) {
            String prefix = sub + "/";
            s.manifest().forEach((rel, sha) -> {
                if (rel.startsWith(prefix)) {
                    expected.put(rel, sha);
                }
            });
            if (Files.isDirectory(dir.resolve(sub))) {
                FileTrees.manifest(dir.resolve(sub)).forEach((rel, sha) -> actual.put(prefix + rel, sha));
            }
        }
        java.util.List<String> damaged = new java.util.ArrayList<>();
        expected.forEach((rel, sha) -> {
            String got = actual.get(rel);
            if (got == null) {
                damaged.add(rel + " (missing)");
            } else if (!got.equals(sha)) {
                damaged.add(rel + " (changed)");
            }
        });
        actual.keySet().stream().filter(rel -> !expected.containsKey(rel)).forEach(rel -> damaged.add(rel + " (added)"));
        if (damaged.isEmpty()) {
            VERIFIED.add(id);
            if (record != null) {
                try {
                    Files.createDirectories(fingerprints);
                    AtomicFiles.writeString(record, fingerprint);
                } catch (IOException | RuntimeException e) {
                    // only costs time next run
                }
            }
        }
        return Optional.of(new Check(s.key(), List.copyOf(damaged)));
    }

    /** A digest of every file's path, size, modification time and file key under the sub-directories. */
    private static String statFingerprint(Path dir, List<String> subdirs) {
        StringBuilder sb = new StringBuilder();
        for (String sub : subdirs) {
            try {
                FileTrees.statListing(dir.resolve(sub), dir).forEach(line -> sb.append(line).append('\n'));
            } catch (IOException e) {
                sb.append("unreadable ").append(sub).append('\n');
            }
        }
        return Digests.sha256(sb.toString());
    }

    /** The key in the stamp of a directory output, or empty when it has no valid stamp. */
    public static Optional<String> stampedKey(Path dir) {
        return readStamp(dir.resolve(STAMP)).map(Stamp::key);
    }
}
