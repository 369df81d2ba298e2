package org.faasm.python.host.keyed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildInputsTest {
    @Test
    void theKeyIsTheContentWhateverTheOrderAndANewlineCannotForgeAnotherInput() {
        String key = new BuildInputs().put("a", "1").put("b", "2").key();
        assertEquals(key, new BuildInputs().put("b", "2").put("a", "1").key());
        assertNotEquals(key, new BuildInputs().put("a", "1").put("b", "3").key());
        assertNotEquals(new BuildInputs().put("a", "1\nb=2").key(), key, "a value with a newline is not two inputs");
        assertEquals(64, key.length());
    }

    @Test
    void changesSayWhatIsNewChangedAndRemoved() {
        List<String> changes = new BuildInputs().put("cflags", "-O2").put("zlib", "1.3").changesSince(Map.of("cflags", "-O0", "jobs", "2"));
        assertEquals(List.of("cflags changed: -O0 -> -O2", "zlib is new: 1.3", "jobs was removed"), changes);
    }
}
