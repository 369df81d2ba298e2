package org.faasm.python.core.runner;

import org.faasm.python.core.FaasmException;

/**
 * The limits of the local Faasm host, each a parameter of {@code faasm-python:run} with its user
 * property. Defaults follow Faasm's: a function runs for at most five minutes and has 1 GiB of linear
 * memory.
 *
 * @param timeoutSeconds wall-clock seconds for a run, chained calls included ({@code faasm.timeout})
 * @param memoryMiB guest linear memory in MiB; past it {@code malloc} fails ({@code faasm.memory})
 * @param chainDepth how deep chained calls may nest ({@code faasm.chainDepth})
 * @param chainFanOut how many calls one call may chain ({@code faasm.chainFanOut})
 * @param maxInputBytes the largest call input ({@code faasm.maxInputBytes})
 * @param maxOutputBytes the largest call output ({@code faasm.maxOutputBytes})
 */
public record HostLimits(int timeoutSeconds, int memoryMiB, int chainDepth, int chainFanOut, int maxInputBytes, int maxOutputBytes) {
    public static final HostLimits DEFAULTS = new HostLimits(300, 1024, 16, 256, 64 << 20, 64 << 20);

    /** The largest linear memory a wasm32 module can have. */
    static final int MAX_MEMORY_MIB = 4096;

    public HostLimits {
        positive(timeoutSeconds, "faasm.timeout", "seconds");
        positive(memoryMiB, "faasm.memory", "MiB");
        if (memoryMiB > MAX_MEMORY_MIB) {
            throw new FaasmException("faasm.memory is " + memoryMiB + " MiB; a wasm32 guest has at most " + MAX_MEMORY_MIB + " MiB",
                    "-Dfaasm.memory / <memory>", "give at most " + MAX_MEMORY_MIB);
        }
        positive(chainDepth, "faasm.chainDepth", "levels");
        positive(chainFanOut, "faasm.chainFanOut", "calls");
        positive(maxInputBytes, "faasm.maxInputBytes", "bytes");
        positive(maxOutputBytes, "faasm.maxOutputBytes", "bytes");
    }

    private static void positive(int value, String property, String unit) {
        if (value <= 0) {
            String param = property.substring("faasm.".length());
            throw new FaasmException(property + " must be a positive number of " + unit + ", not " + value,
                    "-D" + property + " / <" + param + ">", "give a positive number, or leave it unset for the default");
        }
    }

    /** The memory limit in 64 KiB wasm pages. */
    public int memoryPages() {
        return memoryMiB * 16;
    }

    public HostLimits withTimeout(int seconds) {
        return new HostLimits(seconds, memoryMiB, chainDepth, chainFanOut, maxInputBytes, maxOutputBytes);
    }

    public HostLimits withMemory(int mib) {
        return new HostLimits(timeoutSeconds, mib, chainDepth, chainFanOut, maxInputBytes, maxOutputBytes);
    }
}
