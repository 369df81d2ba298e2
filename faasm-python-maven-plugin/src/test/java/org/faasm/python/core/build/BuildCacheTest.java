package org.faasm.python.core.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.faasm.python.core.archive.DeterministicTar;
import org.faasm.python.core.sources.ArchiveExtractor;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.keyed.KeyedOutput;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCacheTest {
    @TempDir
    Path tmp;

    private final AtomicInteger builds = new AtomicInteger();
    private final BuildInputs inputs = new BuildInputs().put("recipe", "wasm-1").put("cpython.source", "sha256:aa");

    /** A team cache kept in a directory: packed entries by kind and key, as a repository would hold them. */
    private static final class DirectoryRemote implements RemoteCache {
        final Path dir;
        final boolean pushes;
        final List<String> pushed = new ArrayList<>();
        final List<String> evicted = new ArrayList<>();

        DirectoryRemote(Path dir, boolean pushes) {
            this.dir = dir;
            this.pushes = pushes;
        }

        Path file(String kind, String key) {
            return dir.resolve(kind + "-" + key + ".tar.gz");
        }

        @Override
        public Optional<Path> fetch(String kind, String key) {
            return Files.isRegularFile(file(kind, key)) ? Optional.of(file(kind, key)) : Optional.empty();
        }

        @Override
        public boolean pushes() {
            return pushes;
        }

        @Override
        public boolean has(String kind, String key) {
            return Files.exists(file(kind, key));
        }

        @Override
        public void push(String kind, String key, Path packed) {
            try {
                Files.createDirectories(dir);
                Files.copy(packed, file(kind, key));
                pushed.add(kind + "/" + key);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void evict(String kind, String key) {
            evicted.add(kind + "/" + key);
        }
    }

    private KeyedOutput.Step step(String content) {
        return dir -> {
            builds.incrementAndGet();
            Files.createDirectories(dir.resolve("bin"));
            Files.writeString(dir.resolve("bin/python.wasm"), content);
            Files.createSymbolicLink(dir.resolve("bin/python3"), Path.of("python.wasm"));
        };
    }

    @Test
    void anEntryIsBuiltOnceThenReusedAndVerified() throws Exception {
        BuildCache cache = new BuildCache(tmp.resolve("cache"), Log.NONE);
        Path entry = cache.obtain("cpython-wasm", "CPython", inputs, step("wasm bytes"));

        assertEquals(entry, cache.obtain("cpython-wasm", "CPython", inputs, step("other")));
        assertEquals(1, builds.get());
        assertEquals("wasm bytes", Files.readString(entry.resolve("bin/python.wasm")));
        assertEquals(tmp.resolve("cache/cpython-wasm/" + inputs.key()), entry);
    }

    @Test
    void aTamperedEntryIsRemovedAndBuiltAgain() throws Exception {
        BuildCache cache = new BuildCache(tmp.resolve("cache"), Log.NONE);
        Path entry = cache.obtain("cpython-wasm", "CPython", inputs, step("wasm bytes"));
        Files.writeString(entry.resolve("bin/python.wasm"), "changed");
        KeyedOutput.forgetVerified(); // a later build

        assertTrue(cache.lookup("cpython-wasm", inputs).isEmpty());
        assertFalse(Files.exists(entry));
        cache.obtain("cpython-wasm", "CPython", inputs, step("wasm bytes"));
        assertEquals(2, builds.get());
    }

    @Test
    void anEntryWithoutStampIsTreatedAsInterrupted() throws Exception {
        BuildCache cache = new BuildCache(tmp.resolve("cache"), Log.NONE);
        Path half = tmp.resolve("cache/cpython-wasm/" + inputs.key());
        Files.createDirectories(half.resolve("bin"));

        assertTrue(cache.lookup("cpython-wasm", inputs).isEmpty());
        assertFalse(Files.exists(half));
    }

    @Test
    void anEntryPushedByOneMachineIsTakenByAnotherWithoutBuilding() throws Exception {
        DirectoryRemote ci = new DirectoryRemote(tmp.resolve("team"), true);
        Path built = new BuildCache(tmp.resolve("ci-cache"), ci, Log.NONE).obtain("cpython-wasm", "CPython", inputs, step("wasm bytes"));
        assertEquals(List.of("cpython-wasm/" + inputs.key()), ci.pushed);

        RecordingLog log = new RecordingLog();
        Path taken = new BuildCache(tmp.resolve("dev-cache"), new DirectoryRemote(tmp.resolve("team"), false), log)
                .obtain("cpython-wasm", "CPython", inputs, step("never built"));

        assertEquals(1, builds.get(), "the second machine builds nothing");
        assertTrue(log.all().contains("CPython: taken from the team cache"), log.all());
        assertEquals(FileTrees.manifest(built), FileTrees.manifest(taken));
        assertEquals(Path.of("python.wasm"), Files.readSymbolicLink(taken.resolve("bin/python3")));
        assertEquals(List.of("cpython-wasm"), FileTrees.listFiles(tmp.resolve("dev-cache")).stream().map(p -> p.split("/")[0]).distinct().toList(),
                "nothing but the entry is left in the cache");
    }

    @Test
    void aKeyTheTeamCacheHasIsNotPushedAgain() throws Exception {
        DirectoryRemote remote = new DirectoryRemote(tmp.resolve("team"), true);
        Files.createDirectories(remote.dir);
        Files.writeString(remote.file("cpython-wasm", inputs.key()), "someone else's entry");

        new BuildCache(tmp.resolve("cache"), remote, Log.NONE).obtain("cpython-wasm", "CPython", inputs, step("wasm bytes"));

        assertEquals(List.of(), remote.pushed);
        assertEquals("someone else's entry", Files.readString(remote.file("cpython-wasm", inputs.key())));
    }

    /** Repacks a pushed entry with one file changed, as a corrupted or malicious upload would be. */
    private void tamper(DirectoryRemote remote, String key, Map<String, String> changes) throws IOException {
        Path unpacked = tmp.resolve("unpacked");
        ArchiveExtractor.extract(remote.file("cpython-wasm", key), unpacked, false);
        for (Map.Entry<String, String> c : changes.entrySet()) {
            Files.writeString(unpacked.resolve(c.getKey()), c.getValue());
        }
        new DeterministicTar(0).addTree("", unpacked).write(remote.file("cpython-wasm", key));
    }

    @Test
    void aCorruptTeamEntryIsAWarningAndALocalBuildNeverAPoisonedCache() throws Exception {
        DirectoryRemote remote = new DirectoryRemote(tmp.resolve("team"), true);
        new BuildCache(tmp.resolve("ci-cache"), remote, Log.NONE).obtain("cpython-wasm", "CPython", inputs, step("wasm bytes"));
        tamper(remote, inputs.key(), Map.of("bin/python.wasm", "evil bytes"));

        RecordingLog log = new RecordingLog();
        DirectoryRemote pulling = new DirectoryRemote(tmp.resolve("team"), false);
        Path entry = new BuildCache(tmp.resolve("dev-cache"), pulling, log).obtain("cpython-wasm", "CPython", inputs, step("wasm bytes"));

        assertEquals(2, builds.get(), "built locally");
        assertEquals("wasm bytes", Files.readString(entry.resolve("bin/python.wasm")));
        assertTrue(log.warnings.get(0).contains("is not used: its files do not match its manifest; building locally"), log.all());
        assertEquals(List.of("cpython-wasm/" + inputs.key()), pulling.evicted);
    }

    @Test
    void aTeamEntryMadeFromOtherInputsIsRefused() throws Exception {
        DirectoryRemote remote = new DirectoryRemote(tmp.resolve("team"), true);
        BuildInputs other = new BuildInputs().put("recipe", "wasm-1").put("cpython.source", "sha256:bb");
        new BuildCache(tmp.resolve("ci-cache"), remote, Log.NONE).obtain("cpython-wasm", "CPython", other, step("other bytes"));
        // published under the wrong key, as a mistaken or malicious push would
        Files.move(remote.file("cpython-wasm", other.key()), remote.file("cpython-wasm", inputs.key()));

        RecordingLog log = new RecordingLog();
        Path entry = new BuildCache(tmp.resolve("dev-cache"), new DirectoryRemote(tmp.resolve("team"), false), log)
                .obtain("cpython-wasm", "CPython", inputs, step("wasm bytes"));

        assertEquals("wasm bytes", Files.readString(entry.resolve("bin/python.wasm")));
        assertTrue(log.all().contains("it was made from other inputs"), log.all());
    }

    @Test
    void packingIsReproducible() throws Exception {
        Path entry = new BuildCache(tmp.resolve("cache"), Log.NONE).obtain("cpython-wasm", "CPython", inputs, step("wasm bytes"));
        BuildCache.pack(entry, tmp.resolve("a.tar.gz"));
        BuildCache.pack(entry, tmp.resolve("b.tar.gz"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a.tar.gz")), Files.readAllBytes(tmp.resolve("b.tar.gz")));
    }

    @Test
    void theKeyDependsOnEveryInputAndChangesAreNamed() {
        BuildInputs a = new BuildInputs().put("configure.options", "").put("cpython.source", "sha256:aa");
        BuildInputs b = new BuildInputs().put("configure.options", "--with-pydebug").put("cpython.source", "sha256:aa");

        assertFalse(a.key().equals(b.key()));
        assertEquals(a.key(), new BuildInputs().put("cpython.source", "sha256:aa").put("configure.options", "").key(),
                "order of insertion does not matter");
        assertEquals(List.of("configure.options changed:  -> --with-pydebug"), b.changesSince(a.values()));
    }
}
