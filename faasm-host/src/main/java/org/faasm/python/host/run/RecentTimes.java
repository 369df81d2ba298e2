package org.faasm.python.host.run;

import java.util.Arrays;

/** The last durations of something the host does many times, for their median. */
final class RecentTimes {
    private final long[] nanos;
    private int count;

    RecentTimes(int kept) {
        this.nanos = new long[kept];
    }

    synchronized void add(long duration) {
        nanos[count++ % nanos.length] = duration;
    }

    /** The median of the kept durations in milliseconds; NaN when there is none. */
    synchronized double medianMillis() {
        int n = Math.min(count, nanos.length);
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        return sorted[n / 2] / 1e6;
    }
}
