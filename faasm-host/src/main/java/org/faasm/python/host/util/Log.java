package org.faasm.python.host.util;

/** Minimal logging facade so the core does not depend on Maven. */
public interface Log {
    void info(String message);

    void warn(String message);

    void debug(String message);

    /** A log that drops everything, for tests. */
    Log NONE = new Log() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
    };

    /** A log printing to standard error, for tools and benchmarks. */
    Log STDERR = new Log() {
        @Override
        public void info(String message) {
            System.err.println("[info] " + message);
        }

        @Override
        public void warn(String message) {
            System.err.println("[warn] " + message);
        }

        @Override
        public void debug(String message) {}
    };
}
