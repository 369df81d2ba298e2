package org.faasm.python.host.engine;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Log;

/** Picks the WebAssembly engine of the local host from {@code faasm.engine}. */
public final class Engines {
    public static final String AUTO = "auto";
    /** The values {@code faasm.engine} takes. */
    public static final List<String> NAMES = List.of(AUTO, WasmtimeEngine.NAME, EndiveEngine.NAME);

    private static final Set<String> SAID = new HashSet<>();

    private Engines() {}

    /**
     * The engine {@code requested} names: {@code wasmtime} (native; an error where its library
     * does not load), {@code chicory} (pure JVM), or {@code auto} (null or empty too): wasmtime
     * where it loads, else the pure-JVM engine. Says once per JVM which engine runs and why.
     */
    public static WasmEngine select(String requested, Log log) {
        String name = requested == null || requested.isBlank() ? AUTO : requested.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case WasmtimeEngine.NAME -> {
                String reason = WasmtimeEngine.unavailableReason();
                if (reason != null) {
                    throw new FaasmException("faasm.engine is wasmtime, but it cannot run on " + WasmtimeEngine.platform() + ": " + reason,
                            "-Dfaasm.engine / <engine>", "use -Dfaasm.engine=chicory (pure JVM, runs everywhere, slower), or auto,"
                                    + " which falls back to it by itself");
                }
                say(log, "wasmtime", "the local host runs on wasmtime " + WasmtimeEngine.bindingsVersion() + " (native code; faasm.engine=wasmtime)");
                return new WasmtimeEngine();
            }
            case EndiveEngine.NAME -> {
                say(log, "chicory", "the local host runs on the pure-JVM engine (Endive, Chicory's continuation; faasm.engine=chicory)");
                return new EndiveEngine();
            }
            case AUTO -> {
                String reason = WasmtimeEngine.unavailableReason();
                if (reason == null) {
                    say(log, "auto-wasmtime", "the local host runs on wasmtime " + WasmtimeEngine.bindingsVersion() + " (native code: its library"
                            + " loads on " + WasmtimeEngine.platform() + "; -Dfaasm.engine=chicory for the pure-JVM engine)");
                    return new WasmtimeEngine();
                }
                say(log, "auto-chicory", "the local host runs on the pure-JVM engine, several times slower for CPU-bound Python: " + reason);
                return new EndiveEngine();
            }
            default -> throw new FaasmException("faasm.engine is '" + requested + "', not one of " + String.join(", ", NAMES),
                    "-Dfaasm.engine / <engine>", "give auto (the default), wasmtime or chicory");
        }
    }

    /**
     * Compiles {@code wasm} with wasmtime into the code cache, where wasmtime loads on this machine
     * (nothing to do when its code is cached already); elsewhere says why it is skipped.
     */
    public static void precompileNative(Path wasm, Path codeCache, Log log) {
        String reason = WasmtimeEngine.unavailableReason();
        if (reason != null) {
            log.info("No native code for the local host: " + reason + " (it runs on the pure-JVM engine here)");
            return;
        }
        long t0 = System.nanoTime();
        new WasmtimeEngine().load(wasm, codeCache);
        log.info(String.format("Native code for the local host (wasmtime %s) in %s: %.1f s", WasmtimeEngine.bindingsVersion(),
                codeCache, (System.nanoTime() - t0) / 1e9));
    }

    private static void say(Log log, String key, String message) {
        synchronized (SAID) {
            if (SAID.add(key)) {
                log.info(message.substring(0, 1).toUpperCase(Locale.ROOT) + message.substring(1));
            }
        }
    }
}
