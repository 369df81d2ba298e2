package org.faasm.python.host;


/**
 * The limits of the local Faasm host, each a parameter of {@code faasm-python:run} with its user
 * property; their defaults are declared once, in {@link Defaults}.
 *
 * @param timeoutSeconds wall-clock seconds for a run, chained calls included ({@code timeout})
 * @param memoryMiB guest linear memory in MiB; past it {@code malloc} fails ({@code memory})
 * @param chainDepth how deep chained calls may nest ({@code chainDepth})
 * @param chainFanOut how many calls one call may chain ({@code chainFanOut})
 * @param maxInputBytes the largest call input ({@code maxInputBytes})
 * @param maxOutputBytes the largest call output ({@code maxOutputBytes})
 * @param tmpSizeMiB the bytes a call keeps in its {@code /tmp}, sparse files counted at their size; past it writes fail with
 *     ENOSPC ({@code tmpSize})
 * @param maxOpenFiles files a call may hold open at once; past it {@code open} fails with EMFILE ({@code maxOpenFiles})
 * @param stateSizeMiB the state values the host holds for a run or a server ({@code stateSize})
 * @param totalMemoryMiB guest linear memory of all live instances of a run or a server together ({@code totalMemory})
 */
public record HostLimits(int timeoutSeconds, int memoryMiB, int chainDepth, int chainFanOut, int maxInputBytes, int maxOutputBytes,
        int tmpSizeMiB, int maxOpenFiles, int stateSizeMiB, int totalMemoryMiB) {
    /**
     * The defaults, declared once: as strings, so a Maven parameter can name them in its annotation
     * ({@code defaultValue = HostLimits.Defaults.TIMEOUT}). Faasm's: a function runs for at most five
     * minutes and has 1 GiB of linear memory.
     */
    public static final class Defaults {
        public static final String TIMEOUT = "300";
        public static final String MEMORY = "1024";
        public static final String CHAIN_DEPTH = "16";
        public static final String CHAIN_FAN_OUT = "256";
        public static final String MAX_INPUT_BYTES = "67108864";
        public static final String MAX_OUTPUT_BYTES = "67108864";
        public static final String TMP_SIZE = "1024";
        public static final String MAX_OPEN_FILES = "1024";
        public static final String STATE_SIZE = "1024";

        private Defaults() {}
    }

    public static final HostLimits DEFAULTS = new HostLimits(Integer.parseInt(Defaults.TIMEOUT), Integer.parseInt(Defaults.MEMORY),
            Integer.parseInt(Defaults.CHAIN_DEPTH), Integer.parseInt(Defaults.CHAIN_FAN_OUT), Integer.parseInt(Defaults.MAX_INPUT_BYTES),
            Integer.parseInt(Defaults.MAX_OUTPUT_BYTES), Integer.parseInt(Defaults.TMP_SIZE), Integer.parseInt(Defaults.MAX_OPEN_FILES),
            Integer.parseInt(Defaults.STATE_SIZE), defaultTotalMemoryMiB());

    /** The default of {@code totalMemory}: the lower of 4096 MiB and half the machine's memory. */
    public static int defaultTotalMemoryMiB() {
        long half = 4096L;
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            half = os.getTotalMemorySize() / 2 / (1 << 20);
        }
        return (int) Math.max(64, Math.min(4096, half));
    }

    /** The largest linear memory a wasm32 module can have. */
    static final int MAX_MEMORY_MIB = 4096;

    public HostLimits {
        positive(timeoutSeconds, HostSetting.TIMEOUT, "seconds");
        positive(memoryMiB, HostSetting.MEMORY, "MiB");
        if (memoryMiB > MAX_MEMORY_MIB) {
            throw new FaasmException("memory is " + memoryMiB + " MiB; a wasm32 guest has at most " + MAX_MEMORY_MIB + " MiB",
                    HostSetting.MEMORY, "give at most " + MAX_MEMORY_MIB);
        }
        positive(chainDepth, HostSetting.CHAIN_DEPTH, "levels");
        positive(chainFanOut, HostSetting.CHAIN_FAN_OUT, "calls");
        positive(maxInputBytes, HostSetting.MAX_INPUT_BYTES, "bytes");
        positive(maxOutputBytes, HostSetting.MAX_OUTPUT_BYTES, "bytes");
        positive(tmpSizeMiB, HostSetting.TMP_SIZE, "MiB");
        positive(maxOpenFiles, HostSetting.MAX_OPEN_FILES, "files");
        positive(stateSizeMiB, HostSetting.STATE_SIZE, "MiB");
        positive(totalMemoryMiB, HostSetting.TOTAL_MEMORY, "MiB");
    }

    private static void positive(int value, Setting setting, String unit) {
        if (value <= 0) {
            throw new FaasmException(setting.key() + " must be a positive number of " + unit + ", not " + value,
                    setting, "give a positive number, or leave it unset for the default");
        }
    }

    /** The memory limit in 64 KiB wasm pages. */
    public int memoryPages() {
        return memoryMiB * 16;
    }

    /** The bytes a call may keep in {@code /tmp}. */
    public long tmpSizeBytes() {
        return (long) tmpSizeMiB << 20;
    }

    /** The state the host may hold, in bytes. */
    public long stateSizeBytes() {
        return (long) stateSizeMiB << 20;
    }

    /** The memory of all live guests together, in 64 KiB wasm pages. */
    public long totalMemoryPages() {
        return (long) totalMemoryMiB * 16;
    }

    public HostLimits withTimeout(int seconds) {
        return new HostLimits(seconds, memoryMiB, chainDepth, chainFanOut, maxInputBytes, maxOutputBytes, tmpSizeMiB, maxOpenFiles,
                stateSizeMiB, totalMemoryMiB);
    }

    public HostLimits withMemory(int mib) {
        return new HostLimits(timeoutSeconds, mib, chainDepth, chainFanOut, maxInputBytes, maxOutputBytes, tmpSizeMiB, maxOpenFiles,
                stateSizeMiB, totalMemoryMiB);
    }

    public HostLimits withTmpSize(int mib) {
        return new HostLimits(timeoutSeconds, memoryMiB, chainDepth, chainFanOut, maxInputBytes, maxOutputBytes, mib, maxOpenFiles,
                stateSizeMiB, totalMemoryMiB);
    }

    public HostLimits withMaxOpenFiles(int files) {
        return new HostLimits(timeoutSeconds, memoryMiB, chainDepth, chainFanOut, maxInputBytes, maxOutputBytes, tmpSizeMiB, files,
                stateSizeMiB, totalMemoryMiB);
    }

    public HostLimits withStateSize(int mib) {
        return new HostLimits(timeoutSeconds, memoryMiB, chainDepth, chainFanOut, maxInputBytes, maxOutputBytes, tmpSizeMiB, maxOpenFiles,
                mib, totalMemoryMiB);
    }

    public HostLimits withTotalMemory(int mib) {
        return new HostLimits(timeoutSeconds, memoryMiB, chainDepth, chainFanOut, maxInputBytes, maxOutputBytes, tmpSizeMiB, maxOpenFiles,
                stateSizeMiB, mib);
    }
}
