package org.faasm.python.host.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.HostSetting;
import org.faasm.python.host.abi.GuestCall;
import org.faasm.python.host.util.Log;
import org.faasm.python.host.wasi.CallResources;
import run.endive.runtime.Memory;
import run.endive.wasi.WasiExitException;

/**
 * A host's one start of the interpreter, as Faasm makes it: {@code _faasm_zygote} runs once (the
 * interpreter starts and imports the preloaded modules) and the initialised memory and globals
 * become the snapshot every call starts from, kept in the snapshot cache so the next host loads it
 * instead. A start that fails says why (a preloaded module that does not import, a broken runtime
 * root, a limit) before any call.
 */
final class Zygote {
    /** Faasm's guest environment, and unbuffered standard streams so output written before a failure is seen. */
    static final Map<String, String> GUEST_ENV = Map.of(
            "PYTHONHOME", "/",
            "PYTHONHASHSEED", "0",
            "PYTHONNOUSERSITE", "on",
            "PYTHONWASM", "1",
            "PYTHONDONTWRITEBYTECODE", "1",
            "PYTHONUNBUFFERED", "1");

    /** The variable that tells py_func's zygote which modules to import (preload). */
    static final String PRELOAD_VARIABLE = "FAASM_PYTHON_PRELOAD";

    /** {@link #GUEST_ENV}, and the modules the zygote preloads. */
    static Map<String, String> environment(List<String> preload) {
        if (preload.isEmpty()) {
            return GUEST_ENV;
        }
        Map<String, String> env = new TreeMap<>(GUEST_ENV);
        env.put(PRELOAD_VARIABLE, String.join(",", preload));
        return env;
    }

    /** The zygote's return code when a preloaded module does not import. */
    static final int PRELOAD_FAILED = 2;

    private final HostOptions options;
    private final HostLimits limits;
    private final Log log;
    private final InstancePool pool;
    private final GuestThreads threads;

    Zygote(HostOptions options, HostLimits limits, Log log, InstancePool pool, GuestThreads threads) {
        this.options = options;
        this.limits = limits;
        this.log = log;
        this.pool = pool;
        this.threads = threads;
    }

    /**
     * Starts the interpreter (or loads its snapshot from {@code snapshotFile}) and gives the pool its
     * snapshot; the milliseconds it took.
     */
    long start(int initialPages, Path snapshotFile, long deadline, Function<GuestCall, CallResources> resources,
            BiConsumer<GuestCall, String> notice) {
        long t0 = System.nanoTime();
        if (snapshotFile != null) {
            ZygoteSnapshot.Loaded loaded = ZygoteSnapshot.load(snapshotFile, (long) limits.memoryPages() * 65536);
            if (loaded.snapshot() != null) {
                pool.snapshot(loaded.snapshot().memory(), loaded.snapshot().globals());
                return (System.nanoTime() - t0) / 1_000_000;
            }
            if (loaded.problem() != null) {
                log.warn("The zygote snapshot " + snapshotFile + " is not usable: " + loaded.problem()
                        + "; starting the interpreter again and replacing it");
            }
        }
        GuestCall zygote = new GuestCall("", "", "", new byte[0], 0, deadline);
        AtomicBoolean preloadFailed = new AtomicBoolean();
        GuestInstance[] made = new GuestInstance[1];
        String problem = threads.run("zygote", zygote.deadline, () -> {
            try (CallResources r = resources.apply(zygote).enter()) {
                // on the guest thread: an engine may run guest code while it links the instance
                GuestInstance w = pool.take(zygote, initialPages, m -> notice.accept(zygote, m));
                made[0] = w;
                w.call = zygote;
                w.instance.initialize();
                long rc = w.instance.call("_faasm_zygote", zygote.deadline);
                if (rc == PRELOAD_FAILED) {
                    preloadFailed.set(true);
                }
                return rc == 0 ? null : "the zygote returned " + rc + "; see the messages above";
            } catch (WasiExitException e) {
                return "the interpreter exited during start-up with code " + e.exitCode();
            } catch (Throwable e) {
                return CallFailures.kind(e, limits);
            } finally {
                if (made[0] != null) {
                    made[0].call = null;
                    made[0].wasi.endCall();
                }
            }
        }, () -> "start-up " + CallFailures.timedOut(limits));
        GuestInstance w = made[0];
        if (preloadFailed.get()) {
            List<String> what = new ArrayList<>(options.preload());
            if (options.confFlags().contains("PYTHON_PRELOAD")) {
                what.add(0, "numpy");
            }
            what.add(0, "pyfaasm.core");
            throw new FaasmException("Preloading " + String.join(", ", what) + " in the zygote failed, before any call: a module does not "
                    + "import (its traceback is above)", HostSetting.PRELOAD,
                    "fix the module, or leave it out of preload (or the PYTHON_PRELOAD conf flag); a preloaded module must import without"
                    + " input or state");
        }
        if (problem != null) {
            throw new FaasmException("The Python interpreter did not start: " + problem, options.runtimeRoot().toString(),
                    "check that the runtime root holds the standard library of the same build, and the limits (memory, timeout)");
        }
        Memory memory = w.instance.memory();
        pool.snapshot(memory.readBytes(0, memory.pages() * 65536), w.instance.globals());
        pool.giveBack(w, true);
        if (snapshotFile != null) {
            new ZygoteSnapshot(pool.snapshot().memory(), pool.snapshot().globals()).save(snapshotFile);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
