package org.faasm.python.host.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Callable;

/**
 * Where a call's guest output goes besides the host's streams: each guest thread may carry the
 * log of the call it runs (a chained call carries its caller's), which keeps at most a limit of
 * bytes, so a server can answer each call with what that call printed.
 */
final class CallStreams {
    private final ThreadLocal<ByteArrayOutputStream> current = new ThreadLocal<>();
    private final ThreadLocal<Integer> limit = new ThreadLocal<>();

    /** Runs {@code body} on this thread with {@code log} (null for none) as its calls' log. */
    <T> T during(ByteArrayOutputStream log, int maxBytes, Callable<T> body) throws Exception {
        current.set(log);
        limit.set(maxBytes);
        try {
            return body.call();
        } finally {
            current.remove();
            limit.remove();
        }
    }

    /** The log of the call this thread runs, or null. */
    ByteArrayOutputStream current() {
        return current.get();
    }

    /** Appends what fits of {@code b} below {@code maxBytes}. */
    static void append(ByteArrayOutputStream log, byte[] b, int maxBytes) {
        append(log, b, 0, b.length, maxBytes);
    }

    private static void append(ByteArrayOutputStream log, byte[] b, int off, int len, int maxBytes) {
        synchronized (log) {
            log.write(b, off, Math.min(Math.max(0, maxBytes - log.size()), len));
        }
    }

    /** A host stream that also writes to the current call's log. */
    static final class Stream extends OutputStream {
        private final OutputStream base;
        private final CallStreams calls;

        Stream(OutputStream base, CallStreams calls) {
            this.base = base;
            this.calls = calls;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteArrayOutputStream log = calls.current.get();
            if (log != null) {
                append(log, b, off, len, calls.limit.get());
            }
            base.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            base.flush();
        }
    }
}
