package org.faasm.python.core.entrypoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledEntrypointTest {
    private static final Path SOURCES = Path.of("../cpython-module/src/main/c");

    @Test
    void thePluginCarriesEveryEntrypointSourceAndTheyAreExtractedOnceByContent(@TempDir Path cache) throws Exception {
        try (Stream<Path> s = Files.list(SOURCES)) {
            assertEquals(s.map(p -> p.getFileName().toString()).sorted().toList(), BundledEntrypoint.FILES,
                    "FILES names what cpython-module/src/main/c holds");
        }
        Path dir = BundledEntrypoint.extract(cache);
        for (String f : BundledEntrypoint.FILES) {
            assertArrayEquals(Files.readAllBytes(SOURCES.resolve(f)), Files.readAllBytes(dir.resolve(f)), f);
        }
        assertEquals(dir, BundledEntrypoint.extract(cache), "the same directory, by content digest");
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(List.of(dir), s.toList(), "no temporary directory left");
        }
    }
}
