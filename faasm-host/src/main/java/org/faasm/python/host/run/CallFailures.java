package org.faasm.python.host.run;

import org.faasm.python.host.HostLimits;
import org.faasm.python.host.abi.GuestError;
import run.endive.runtime.WasmInterruptedException;
import run.endive.wasm.WasmEngineException;

/** What ended a guest call, in one sentence for its message. */
final class CallFailures {
    private CallFailures() {}

    static String timedOut(HostLimits limits) {
        return "did not finish within timeout = " + limits.timeoutSeconds() + " s and was stopped";
    }

    /** What went wrong, in one sentence, for a throwable that ended a guest call. */
    static String kind(Throwable e, HostLimits limits) {
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof GuestError || c instanceof WasmInterruptedException || c instanceof StackOverflowError) {
                return kind(c, limits);
            }
        }
        if (e instanceof WasmInterruptedException || e instanceof InterruptedException) {
            return timedOut(limits);
        }
        if (e instanceof GuestError) {
            return e.getMessage();
        }
        if (e instanceof StackOverflowError) {
            String stack = e.getMessage() != null && e.getMessage().startsWith("wasmtime") ? e.getMessage()
                    : "the host's " + (GuestThreads.STACK_BYTES >> 20) + " MiB guest stack";
            return "its call stack overflowed (recursion deeper than " + stack + " allows); lower the recursion limit or the depth of the data";
        }
        if (e instanceof OutOfMemoryError) {
            return "the JVM ran out of heap (" + e.getMessage() + "); lower memory or give Maven more heap (-Xmx in MAVEN_OPTS)";
        }
        if (e instanceof WasmEngineException) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("out of bounds memory access") && m.contains("address: -")) {
                // py_func.wasm puts its C stack first in memory: running past its bottom reads below address 0
                return "WebAssembly trap: the guest's C stack overflowed (recursion too deep; " + m + ")";
            }
            return "WebAssembly trap: " + m;
        }
        return "host error: " + org.faasm.python.host.util.Errors.describe(e);
    }
}
