package org.faasm.python.core.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.faasm.python.host.FaasmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledPinsTest {
    @TempDir
    Path tmp;

    private BundledPins pins() {
        return new BundledPins(getClass().getClassLoader(), "bundled-pins", tmp.resolve("pins"));
    }

    private static byte[] resource(String name) throws Exception {
        try (var in = BundledPinsTest.class.getClassLoader().getResourceAsStream("bundled-pins/demo/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aBundledPinIsExtractedWithItsPatchesIntoADirectoryNamedByItsContent() throws Exception {
        SourcePin pin = pins().load("demo");

        assertEquals("demo 1.0", pin.label());
        assertEquals(tmp.resolve("pins"), pin.file().getParent().getParent().getParent());
        assertEquals("demo", pin.file().getParent().getFileName().toString());
        assertTrue(pin.file().getParent().getParent().getFileName().toString().matches("[0-9a-f]{64}"), pin.file().toString());
        assertEquals(List.of(pin.file().resolveSibling("first.patch"), pin.file().resolveSibling("patches/second.patch")), pin.patches());
        assertArrayEquals(resource("pin.properties"), Files.readAllBytes(pin.file()));
        assertArrayEquals(resource("first.patch"), Files.readAllBytes(pin.patches().get(0)));
        assertArrayEquals(resource("patches/second.patch"), Files.readAllBytes(pin.patches().get(1)));
    }

    @Test
    void aSecondLoadReusesTheExtractedPinAndLeavesNoTemporaryFiles() throws Exception {
        Path first = pins().load("demo").file();
        long modified = Files.getLastModifiedTime(first).toMillis();

        Path second = pins().load("demo").file();

        assertEquals(first, second);
        assertEquals(modified, Files.getLastModifiedTime(second).toMillis());
        try (Stream<Path> s = Files.list(tmp.resolve("pins"))) {
            assertEquals(List.of(first.getParent().getParent()), s.toList(), "one directory, no temporary sibling");
        }
    }

    @Test
    void aPinThePluginDoesNotCarryNamesTheParameterToSet() {
        FaasmException e = assertThrows(FaasmException.class, () -> pins().load("nothing"));

        assertTrue(e.getMessage().contains("carries no pin of nothing"), e.getMessage());
        assertTrue(e.hint().contains("nothingPin"), e.hint());
    }

    @Test
    void theReleasePinsAreInThePlugin() {
        BundledPins pins = new BundledPins(tmp.resolve("release"));

        assertEquals("cpython", pins.load("cpython").name());
        assertEquals("zlib", pins.load("zlib").name());
    }
}
