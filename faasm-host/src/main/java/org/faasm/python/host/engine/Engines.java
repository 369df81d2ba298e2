package org.faasm.python.host.engine;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostSetting;
import org.faasm.python.host.util.Log;

/** Picks the WebAssembly engine of the local host from {@code engine}. */
public final class Engines {
    public static final String AUTO = "auto";
    /** The values {@code engine} takes. */
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
                    throw new FaasmException("engine is wasmtime, but it cannot run on " + WasmtimeEngine.platform() + ": " + reason,
                            HostSetting.ENGINE, "use the engine chicory (pure JVM, runs everywhere, slower), or auto,"
                                    + " which falls back to it by itself");
                }
                say(log, "wasmtime", "the local host runs on wasmtime " + WasmtimeEngine.bindingsVersion() + " (native code; engine wasmtime)");
                return new WasmtimeEngine();
            }
            case EndiveEngine.NAME -> {
                say(log, "chicory", "the local host runs on the pure-JVM engine (Endive, Chicory's continuation; engine chicory)");
                return new EndiveEngine();
            }
            case AUTO -> {
                String reason = WasmtimeEngine.unavailableReason();
                if (reason == null) {
                    say(log, "auto-wasmtime", "the local host runs on wasmtime " + WasmtimeEngine.bindingsVersion() + " (native code: its library"
                            + " loads on " + WasmtimeEngine.platform() + "; engine chicory for the pure-JVM engine)");
                    return new WasmtimeEngine();
                }
                say(log, "auto-chicory", "the local host runs on the pure-JVM engine, several times slower for CPU-bound Python: " + reason);
                return new EndiveEngine();
            }
            default -> throw new FaasmException("engine is '" + requested + "', not one of " + String.join(", ", NAMES),
                    HostSetting.ENGINE, "give auto (the default), wasmtime or chicory");
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

    /**
     * What wasmtime's compiled code depends on besides the module: the bindings (and so wasmtime's)
     * version, the platform and how the module is rewritten for it; null where the native engine
     * does not run.
     */
    public static String nativeCodeVersion() {
        return WasmtimeEngine.unavailableReason() != null ? null
                : "wasmtime-java-" + WasmtimeEngine.bindingsVersion() + " " + WasmtimeEngine.platform() + " " + WasmRewriter.VERSION;
    }

    /**
     * Adds the compiled code a {@link #precompileNative} into {@code from} left there to the code
     * cache {@code codeCache} (files it has are kept): wasmtime then loads that module without compiling.
     */
    public static void installNativeCode(Path from, Path codeCache) {
        try {
            for (String rel : org.faasm.python.host.util.FileTrees.listFiles(from)) {
                if (!rel.startsWith("wasmtime-java-") || rel.endsWith(".toml") || !(rel.contains("/cache/modules/") || rel.contains("/digests/"))) {
                    continue; // wasmtime's configuration and statistics belong to each cache
                }
                Path target = codeCache.resolve(rel);
                if (!java.nio.file.Files.exists(target)) {
                    java.nio.file.Files.createDirectories(target.getParent());
                    org.faasm.python.host.util.AtomicFiles.write(target, java.nio.file.Files.readAllBytes(from.resolve(rel)));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot add compiled code to " + codeCache, e);
        }
    }

    private static void say(Log log, String key, String message) {
        synchronized (SAID) {
            if (SAID.add(key)) {
                log.info(message.substring(0, 1).toUpperCase(Locale.ROOT) + message.substring(1));
            }
        }
    }
}
