package org.faasm.python.host.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** faasm.totalMemory's budget. */
class MemoryBudgetTest {
    @Test
    void theMemoryBudgetGrantsWhatIsLeftAndRefusesLessThanTheMinimum() {
        MemoryBudget b = new MemoryBudget(100);
        assertEquals(60, b.reserve(60, 10));
        assertEquals(40, b.reserve(60, 10), "what is left");
        assertEquals(-1, b.reserve(60, 1));
        b.release(50);
        b.force(20);
        assertEquals(70, b.reservedPages());
        assertEquals(100, b.peakPages());
    }
}
