package org.faasm.python.host.run;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.engine.Engines;
import org.faasm.python.host.state.GlobalState;
import org.faasm.python.host.util.Log;

/**
 * How to start a {@link FaasmHost}: the entrypoint, the runtime root, the function, its user and
 * name, conf flags, the guest's streams, the caches, limits, state, preloaded modules, log and
 * engine.
 */
public record HostOptions(
        Path pyFuncWasm,
        Path runtimeRoot,
        Path functionDir,
        String user,
        String func,
        Set<String> confFlags,
        OutputStream stdout,
        OutputStream stderr,
        Path compilerCache,
        Path snapshotCache,
        HostLimits limits,
        GlobalState state,
        List<String> preload,
        Log log,
        String engine) {

    public HostOptions {
        preload = preload == null ? List.of() : List.copyOf(preload);
        engine = engine == null || engine.isBlank() ? Engines.AUTO : engine;
    }

    /** Options with the default limits, state for one run, and no log. */
    public static HostOptions of(Path pyFuncWasm, Path runtimeRoot, Path functionDir, String user, String func, Set<String> confFlags,
            OutputStream stdout, OutputStream stderr, Path compilerCache, Path snapshotCache) {
        return new HostOptions(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                HostLimits.DEFAULTS, null, List.of(), Log.NONE, Engines.AUTO);
    }

    public HostOptions withLimits(HostLimits l) {
        return new HostOptions(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                l, state, preload, log, engine);
    }

    public HostOptions withState(GlobalState s) {
        return new HostOptions(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                limits, s, preload, log, engine);
    }

    public HostOptions withLog(Log l) {
        return new HostOptions(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                limits, state, preload, l, engine);
    }

    /** Options for the engine {@code engine} names: auto, wasmtime or chicory. */
    public HostOptions withEngine(String e) {
        return new HostOptions(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                limits, state, preload, log, e);
    }

    /** Options whose zygote also imports these modules (preload). */
    public HostOptions withPreload(List<String> modules) {
        return new HostOptions(pyFuncWasm, runtimeRoot, functionDir, user, func, confFlags, stdout, stderr, compilerCache, snapshotCache,
                limits, state, modules, log, engine);
    }
}
