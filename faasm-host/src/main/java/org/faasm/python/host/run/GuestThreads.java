package org.faasm.python.host.run;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import run.endive.runtime.WasmInterruptedException;

/**
 * The threads guest calls run on: each call on a thread of its own with a large stack, so CPython's
 * deepest C recursion fits without {@code -Xss}, stopped at its deadline.
 */
final class GuestThreads {
    /** The JVM stack of a guest thread. */
    static final long STACK_BYTES = 512L << 20;

    /** Each running guest thread, and the threads of its top-level call (the call itself and the calls it chained). */
    private final java.util.Map<Thread, Set<Thread>> trees = new ConcurrentHashMap<>();

    /**
     * Runs {@code body} on a guest thread of its own. The top-level caller waits until the deadline
     * and then stops every guest thread of its call (the calls it chained too, and no other call's);
     * a chained call's caller (itself a guest thread) waits until it is stopped too.
     */
    <T> T run(String what, long deadline, Callable<T> body, Supplier<T> onTimeout) {
        FutureTask<T> task = new FutureTask<>(body);
        Thread t = new Thread(null, task, "faasm-guest " + what, STACK_BYTES);
        t.setDaemon(true);
        Set<Thread> tree = trees.get(Thread.currentThread());
        boolean nested = tree != null;
        if (!nested) {
            tree = ConcurrentHashMap.newKeySet();
        }
        tree.add(t);
        trees.put(t, tree);
        t.start();
        try {
            if (nested) {
                return task.get();
            }
            return task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            tree.forEach(Thread::interrupt);
            try {
                task.get(10, TimeUnit.SECONDS);
            } catch (Exception | Error ignored) {
                // the thread is a daemon; its result no longer matters
            }
            return onTimeout.get();
        } catch (InterruptedException e) {
            // a chained call's caller stopped by the timeout: stop the callee and unwind the caller
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new WasmInterruptedException("stopped while waiting for a chained call");
        } catch (ExecutionException e) {
            throw new IllegalStateException("guest thread failed: " + e.getCause(), e.getCause());
        } finally {
            tree.remove(t);
            trees.remove(t);
        }
    }

    /** Stops every guest thread. */
    void stopAll() {
        trees.keySet().forEach(Thread::interrupt);
    }
}
