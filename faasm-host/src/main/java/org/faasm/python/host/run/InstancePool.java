package org.faasm.python.host.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.abi.GuestCall;
import org.faasm.python.host.abi.GuestError;
import org.faasm.python.host.engine.Snapshot;
import org.faasm.python.host.engine.WasmEngine;

/**
 * The instances of one host: pooled between calls, restored from the zygote snapshot for each call
 * (an engine may make the instance afresh from it, as wasmtime does copy-on-write), each holding its
 * memory in the host's {@link MemoryBudget} ({@code totalMemory}).
 */
final class InstancePool {
    /** Idle instances kept for the next calls; more are closed. */
    private static final int MAX_IDLE = 4;

    private final HostLimits limits;
    private final MemoryBudget budget;
    private final IntFunction<GuestInstance> factory;
    private final Deque<GuestInstance> idle = new ArrayDeque<>();
    private final List<GuestInstance> all = new ArrayList<>();
    private final WasmEngine.LoadedModule module;
    private Snapshot snapshot;

    /**
     * @param factory makes an instance of {@code module} with the given memory limit in pages
     */
    InstancePool(HostLimits limits, WasmEngine.LoadedModule module, IntFunction<GuestInstance> factory) {
        this.limits = limits;
        this.module = module;
        this.budget = new MemoryBudget(Math.max(limits.totalMemoryPages(), module.initialPages()));
        this.factory = factory;
    }

    /**
     * Every call from now on starts from this memory and these globals, kept as the engine keeps a
     * snapshot for instances with the whole memory limit (wasmtime: an image it maps copy-on-write).
     */
    void snapshot(byte[] memory, long[][] globals) {
        this.snapshot = module.snapshot(memory, globals, (int) Math.min(limits.memoryPages(), budget.totalPages()));
    }

    boolean hasSnapshot() {
        return snapshot != null;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** The pages a call needs to start: the snapshot's. */
    int snapshotPages() {
        return snapshot.pages();
    }

    /**
     * An instance for {@code call}: an idle one whose whole limit fits, else a new one with
     * memory, or as much as totalMemory leaves (at least {@code minPages}, what the call
     * needs to start; {@code notice} says so for a chained call).
     */
    GuestInstance take(GuestCall call, int minPages, Consumer<String> notice) {
        while (true) {
            GuestInstance w;
            synchronized (idle) {
                w = idle.poll();
            }
            if (w == null) {
                break;
            }
            long more = w.maxPages - w.reserved;
            if (w.maxPages >= minPages && budget.reserve(more, more) >= 0) {
                w.reserved = w.maxPages;
                return w;
            }
            retire(w);
        }
        int want = (int) Math.min(limits.memoryPages(), budget.totalPages());
        long grant = budget.reserve(want, minPages);
        if (grant < 0) {
            throw new GuestError("refused: the live guests of this host hold " + (budget.reservedPages() / 16) + " MiB of totalMemory = "
                    + limits.totalMemoryMiB() + " MiB, and a call needs at least " + (minPages + 15) / 16 + " MiB to start"
                    + " (raise totalMemory, or nest fewer calls that hold much memory)");
        }
        if (grant < want && call.depth > 0) {
            notice.accept("it gets " + (grant / 16) + " MiB of memory instead of memory = " + limits.memoryMiB() + " MiB: the live"
                    + " guests of this host hold " + ((budget.reservedPages() - grant) / 16) + " MiB of totalMemory = "
                    + limits.totalMemoryMiB() + " MiB");
        }
        try {
            GuestInstance w = factory.apply((int) grant);
            w.reserved = grant;
            synchronized (all) {
                all.add(w);
            }
            return w;
        } catch (RuntimeException | Error e) {
            budget.release(grant);
            throw e;
        }
    }

    /** Puts an instance back in the pool, holding only the pages it has; or closes it. */
    void giveBack(GuestInstance w, boolean healthy) {
        long pages = w.instance.memory().pages();
        // an instance whose memory grew far past the snapshot would zero all of it on every restore
        if (healthy && pages <= snapshotPages() + 256) {
            synchronized (idle) {
                if (idle.size() < MAX_IDLE) {
                    budget.release(w.reserved - pages);
                    w.reserved = pages;
                    w.instance.idle();
                    idle.push(w);
                    return;
                }
            }
        }
        retire(w);
    }

    private void retire(GuestInstance w) {
        synchronized (all) {
            all.remove(w);
        }
        budget.release(w.reserved);
        w.reserved = 0;
        w.close();
    }

    /** Memory and globals as the snapshot has them; pages past it zeroed. */
    void restore(GuestInstance w) {
        w.instance.restore(snapshot);
    }

    /**
     * Runs {@code body} while {@code caller} waits for its chained call: it cannot grow meanwhile, so it
     * holds only the pages it has, and its whole limit again afterwards.
     */
    <T> T whileWaiting(GuestInstance caller, java.util.function.Supplier<T> body) {
        long held = caller.reserved;
        long pages = caller.instance.memory().pages();
        budget.release(held - pages);
        caller.reserved = pages;
        try {
            return body.get();
        } finally {
            budget.force(held - pages);
            caller.reserved = held;
        }
    }

    /** The most guest memory held at once, in bytes: at most totalMemory. */
    long peakBytes() {
        return budget.peakPages() * 65536;
    }

    void closeAll() {
        synchronized (all) {
            for (GuestInstance w : all) {
                w.close();
            }
            all.clear();
        }
        if (snapshot != null) {
            snapshot.close();
        }
    }
}
