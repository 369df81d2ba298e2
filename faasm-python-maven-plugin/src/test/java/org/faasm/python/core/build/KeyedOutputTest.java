package org.faasm.python.core.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.keyed.KeyedOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyedOutputTest {
    @TempDir
    Path tmp;

    private final AtomicInteger runs = new AtomicInteger();

    private KeyedOutput.Step writes(String content) {
        return dir -> {
            runs.incrementAndGet();
            Files.writeString(dir.resolve("out.txt"), content);
        };
    }

    private List<String> children(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSecondMakeWithTheSameInputsDoesNoWorkAndSaysSo() {
        RecordingLog log = new RecordingLog();
        KeyedOutput out = KeyedOutput.directory("Thing", tmp.resolve("thing"), new BuildInputs().put("cflags", "-O2"));

        assertTrue(out.make(log, writes("a")));
        assertFalse(out.make(log, writes("a")));

        assertEquals(1, runs.get());
        assertTrue(log.infos.get(log.infos.size() - 1).startsWith("Thing is up to date (key "), log.all());
    }

    @Test
    void aChangedInputRebuildsAndTheLogNamesTheChange() throws IOException {
        RecordingLog log = new RecordingLog();
        KeyedOutput.directory("Thing", tmp.resolve("thing"), new BuildInputs().put("cflags", "-O2")).make(log, writes("a"));
        KeyedOutput.directory("Thing", tmp.resolve("thing"), new BuildInputs().put("cflags", "-O3")).make(log, writes("b"));

        assertEquals(2, runs.get());
        assertEquals("b", Files.readString(tmp.resolve("thing/out.txt")));
        assertTrue(log.all().contains("Thing: building (changed since the last build: cflags changed: -O2 -> -O3)"), log.all());
    }

    @Test
    void aFailingStepKeepsThePreviousOutputAndLeavesNoTemporaryFiles() throws IOException {
        Path dir = tmp.resolve("thing");
        KeyedOutput.directory("Thing", dir, new BuildInputs().put("v", "1")).make(new RecordingLog(), writes("good"));

        KeyedOutput second = KeyedOutput.directory("Thing", dir, new BuildInputs().put("v", "2"));
        assertThrows(IllegalStateException.class, () -> second.make(new RecordingLog(), d -> {
            Files.writeString(d.resolve("out.txt"), "half");
            throw new IllegalStateException("compiler crashed");
        }));

        assertEquals("good", Files.readString(dir.resolve("out.txt")));
        assertEquals(List.of("thing"), children(tmp));
        assertTrue(KeyedOutput.directory("Thing", dir, new BuildInputs().put("v", "1")).upToDate(), "the old stamp still holds");
    }

    @Test
    void aFileOutputChangedAfterItWasMadeIsMadeAgain() throws IOException {
        Path file = tmp.resolve("a.tar.gz");
        KeyedOutput out = KeyedOutput.file("Archive", file, tmp.resolve("stamps/a.key"), new BuildInputs().put("v", "1"));
        KeyedOutput.Step step = f -> {
            runs.incrementAndGet();
            Files.writeString(f, "archive");
        };
        out.make(new RecordingLog(), step);
        Files.writeString(file, "truncated");

        RecordingLog log = new RecordingLog();
        assertTrue(out.make(log, step));
        assertEquals("archive", Files.readString(file));
        assertTrue(log.all().contains("was changed or damaged"), log.all());
    }

    @Test
    void aVerifiedDirectoryWhoseContentChangedIsNotUpToDate() throws IOException {
        Path dir = tmp.resolve("entry");
        BuildInputs in = new BuildInputs().put("v", "1");
        KeyedOutput.directory("Entry", dir, in).verified().make(new RecordingLog(), writes("bytes"));
        Files.writeString(dir.resolve("out.txt"), "tampered");
        KeyedOutput.forgetVerified(); // as a later build

        assertEquals("its content does not match its manifest (changed or damaged)",
                KeyedOutput.directory("Entry", dir, in).verified().staleness().orElseThrow());
    }

    @Test
    void adoptTakesOnlyACandidateMadeFromTheSameInputsWithMatchingFiles() throws IOException {
        BuildInputs in = new BuildInputs().put("v", "1");
        KeyedOutput.directory("Made", tmp.resolve("made"), in).verified().make(new RecordingLog(), writes("bytes"));
        Path copy = tmp.resolve("copy");

        org.faasm.python.host.util.FileTrees.copyTree(tmp.resolve("made"), copy);
        Files.writeString(copy.resolve("out.txt"), "tampered");
        assertEquals("its files do not match its manifest",
                KeyedOutput.directory("Target", tmp.resolve("target"), in).verified().adopt(copy).orElseThrow());
        assertFalse(Files.exists(copy), "a refused candidate is deleted");

        org.faasm.python.host.util.FileTrees.copyTree(tmp.resolve("made"), copy);
        assertTrue(KeyedOutput.directory("Target", tmp.resolve("target"), new BuildInputs().put("v", "2")).verified().adopt(copy)
                .orElseThrow().startsWith("it was made from other inputs"));

        org.faasm.python.host.util.FileTrees.copyTree(tmp.resolve("made"), copy);
        assertTrue(KeyedOutput.directory("Target", tmp.resolve("target"), in).verified().adopt(copy).isEmpty());
        assertEquals("bytes", Files.readString(tmp.resolve("target/out.txt")));
    }
}
