package org.faasm.python.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.faasm.python.host.wasi.FunctionStaging;
import org.junit.jupiter.api.Test;

/** The host's limits and the names it accepts. */
class HostLimitsTest {
    @Test
    void namesWithPathsAndBadLimitsAreExplained() {
        for (String bad : new String[] {"..", "a/b", "x\\y", "", ".hidden"}) {
            assertThrows(FaasmException.class, () -> FunctionStaging.checkName(bad, "user", HostSetting.USER), bad);
        }
        FunctionStaging.checkName("hello_world-2.v1", "function name", HostSetting.FUNCTION);
        FaasmException e = assertThrows(FaasmException.class, () -> HostLimits.DEFAULTS.withTimeout(0));
        assertTrue(e.getMessage().startsWith("timeout must be a positive number") && e.setting() == HostSetting.TIMEOUT, e.getMessage());
        assertThrows(FaasmException.class, () -> HostLimits.DEFAULTS.withMemory(8192));
        assertEquals(512 * 16, HostLimits.DEFAULTS.withMemory(512).memoryPages());
    }

    @Test
    void limitsAreCheckedAndNamed() {
        assertTrue(assertThrows(org.faasm.python.host.FaasmException.class, () -> HostLimits.DEFAULTS.withTmpSize(0)).getMessage()
                .startsWith("tmpSize "));
        assertTrue(assertThrows(org.faasm.python.host.FaasmException.class, () -> HostLimits.DEFAULTS.withTotalMemory(-1)).getMessage()
                .startsWith("totalMemory "));
        int total = HostLimits.defaultTotalMemoryMiB();
        long half = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 21;
        assertEquals(Math.min(4096, half), total);
    }
}
