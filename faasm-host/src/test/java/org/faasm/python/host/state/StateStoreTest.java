package org.faasm.python.host.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.faasm.python.host.FaasmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state a host keeps ({@link StateStore}, {@link GlobalState}): Faasm's semantics, the global tier, the bound. */
class StateStoreTest {
    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void stateFollowsFaasmSemantics() {
        StateStore s = new StateStore("python", new GlobalState.InMemory(), 1L << 30);
        assertEquals(0, s.size("missing"));
        s.set("k", b("0123456789"));
        s.setOffset("k", 10, 2, b("999"));
        assertArrayEquals(b("0199956789"), s.get("k"));
        assertArrayEquals(b("019"), s.getOffset("k", 0, 3));
        assertArrayEquals(b("9567"), s.getOffset("k", 4, 4));
        s.setOffset("new", 6, 4, b("ab"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 'a', 'b'}, s.get("new"));
        assertArrayEquals(new byte[] {'b', 0}, s.getOffset("new", 5, 2));
    }

    @Test
    void pushSendsToTheGlobalTierAndAnotherHostPullsOnFirstRead() {
        GlobalState global = new GlobalState.InMemory();
        StateStore writer = new StateStore("python", global, 1L << 30);
        writer.set("k", b("0123456789"));
        assertNull(global.get("python", "k"), "a write stays local until pushed");
        writer.push("k");
        writer.setOffset("k", 10, 2, b("999"));
        writer.pushPartial("k");
        assertArrayEquals(b("0199956789"), global.get("python", "k"));

        StateStore reader = new StateStore("python", global, 1L << 30);
        assertEquals(10, reader.size("k"));
        global.set("python", "k", b("changed"));
        assertArrayEquals(b("0199956789"), reader.get("k"), "the local copy stays until pulled");
        reader.pull("k");
        assertArrayEquals(b("changed"), reader.get("k"));
        assertNull(global.get("other", "k"), "keys are per user");
    }

    @Test
    void aStateUrlThatIsNotRedisIsExplained() {
        FaasmException e = assertThrows(FaasmException.class, () -> GlobalState.open("http://localhost:6379"));
        assertTrue(e.getMessage().contains("not a redis://host:port URL"), e.getMessage());
        assertEquals("memory (this run only)", GlobalState.open(null).describe());
    }

    @Test
    void stateHeldIsBoundedAndAPushedOrDeletedValueIsReleased() {
        GlobalState.InMemory global = new GlobalState.InMemory();
        StateStore s = new StateStore("python", global, 100);
        s.set("a", new byte[60]);
        StateStore.LimitException e = assertThrows(StateStore.LimitException.class, () -> s.set("b", new byte[60]));
        assertTrue(e.getMessage().contains("with the 60 bytes of key 'b', more than stateSize = 1 MiB"), e.getMessage());
        s.set("a", new byte[90]);
        s.push("a");
        assertEquals(90, s.heldBytes(), "pushed: released here, held by the in-process tier");
        s.delete("a");
        assertEquals(0, s.heldBytes());
        s.set("b", new byte[100]);
        assertArrayEquals(new byte[100], s.get("b"));
    }
}
