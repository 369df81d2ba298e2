package org.faasm.python.host.run;

import java.util.HashSet;
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
 * deepest C recursion fits without {@code -Xss}, stopped at its deadline. Threads are pooled.
 */
final class GuestThreads {
    /** The JVM stack of a guest thread. */
    static final long STACK_BYTES = 512L << 20;

    /**
     * The guest threads, kept for later calls when idle (a minute): a new thread costs its stack's
     * mapping and wasmtime's per-thread set-up on its first call.
     */
    private final java.util.concurrent.ExecutorService pool = new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
            TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), task -> {
                Thread t = new Thread(null, task, "faasm-guest", STACK_BYTES);
                t.setDaemon(true);
                return t;
            });

    /** Each running guest thread, and the threads of its top-level call (the call itself and the calls it chained). */
    private final java.util.Map<Thread, Set<Thread>> trees = new ConcurrentHashMap<>();

    /**
     * Runs {@code body} on a guest thread. The top-level caller waits until the deadline and then
     * stops every guest thread of its call (the calls it chained too, and no other call's); a
     * chained call's caller (itself a guest thread) waits until it is stopped too. A thread is in
     * its call's tree only while it runs that call, and an interrupt reaches it only then (both
     * under the tree's lock), so a thread given back to the pool carries no interrupt to the next call.
     */
    <T> T run(String what, long deadline, Callable<T> body, Supplier<T> onTimeout) {
        Set<Thread> found = trees.get(Thread.currentThread());
        boolean nested = found != null;
        Set<Thread> tree = nested ? found : new HashSet<>();
        FutureTask<T> task = new FutureTask<>(() -> {
            Thread me = Thread.currentThread();
            String name = me.getName();
            me.setName("faasm-guest " + what);
            synchronized (tree) {
                tree.add(me);
            }
            trees.put(me, tree);
            try {
                return body.call();
            } finally {
                trees.remove(me);
                synchronized (tree) {
                    tree.remove(me);
                    Thread.interrupted();
                }
                me.setName(name);
            }
        });
        try {
            pool.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new WasmInterruptedException("the host is closing");
        }
        try {
            if (nested) {
                return task.get();
            }
            return task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            interrupt(tree);
            try {
                task.get(10, TimeUnit.SECONDS);
            } catch (Exception | Error ignored) {
                // the thread is a daemon; its result no longer matters
            }
            return onTimeout.get();
        } catch (InterruptedException e) {
            // a chained call's caller stopped by the timeout: stop the callee and unwind the caller
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new WasmInterruptedException("stopped while waiting for a chained call");
        } catch (ExecutionException e) {
            throw new IllegalStateException("guest thread failed: " + e.getCause(), e.getCause());
        }
    }

    private static void interrupt(Set<Thread> tree) {
        synchronized (tree) {
            tree.forEach(Thread::interrupt);
        }
    }

    /** Stops every guest thread, and lets the idle ones go. */
    void stopAll() {
        new java.util.ArrayList<>(trees.values()).forEach(GuestThreads::interrupt);
        pool.shutdown();
    }
}
