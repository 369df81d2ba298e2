package org.faasm.python.host.run;

/**
 * {@code totalMemory}: the guest linear memory that all live instances of one host (a run, or
 * a server) may hold together, in 64 KiB pages. A running call holds its instance's whole memory
 * limit; an idle pooled instance, and a caller waiting for its chained call (it cannot grow while it
 * waits), hold only the pages they have. A call that cannot be given the memory it needs to start
 * is refused.
 */
final class MemoryBudget {
    private final long totalPages;
    private long reserved;
    private long peak;

    MemoryBudget(long totalPages) {
        this.totalPages = totalPages;
    }

    /**
     * Reserves up to {@code want} pages, at least {@code min}.
     *
     * @return the pages reserved, or -1 (nothing reserved) when fewer than {@code min} are free
     */
    synchronized long reserve(long want, long min) {
        long grant = Math.min(want, totalPages - reserved);
        if (grant < min) {
            return -1;
        }
        reserved += grant;
        peak = Math.max(peak, reserved);
        return grant;
    }

    /** Takes {@code pages} back whether or not they are free: a caller resuming after its chained call ended. */
    synchronized void force(long pages) {
        reserved += pages;
        peak = Math.max(peak, reserved);
    }

    synchronized void release(long pages) {
        reserved -= pages;
    }

    synchronized long reservedPages() {
        return reserved;
    }

    /** The most pages held at once since the host started. */
    synchronized long peakPages() {
        return peak;
    }

    long totalPages() {
        return totalPages;
    }
}
