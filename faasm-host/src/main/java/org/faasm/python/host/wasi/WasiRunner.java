package org.faasm.python.host.wasi;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.engine.CompiledModules;
import run.endive.runtime.ImportValues;
import run.endive.runtime.Instance;
import run.endive.wasi.WasiExitException;
import run.endive.wasi.WasiOptions;

/**
 * Runs a WASI command module (such as {@code python.wasm}) on Endive (Chicory's continuation), the pure-Java WebAssembly
 * runtime, with the module compiled to JVM bytecode once per JVM. Only the directories given as
 * mounts are visible to the guest, read-only (a write fails with EROFS).
 */
public final class WasiRunner {

    /** What a run gives back. */
    public record Result(int exitCode) {}

    private final Path wasm;
    private Path compilerCache;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, Path> mounts = new LinkedHashMap<>();
    private OutputStream stdout = System.out;
    private OutputStream stderr = System.err;
    private byte[] stdin = new byte[0];

    public WasiRunner(Path wasm) {
        this.wasm = wasm;
    }

    /** Keeps compiled bytecode in this directory (per Endive version) across JVMs. */
    public WasiRunner compilerCache(Path dir) {
        this.compilerCache = dir;
        return this;
    }

    public WasiRunner args(List<String> argv) {
        args.clear();
        args.addAll(argv);
        return this;
    }

    public WasiRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Makes the host directory {@code host} visible to the guest at {@code guestPath}, read-only. */
    public WasiRunner mount(String guestPath, Path host) {
        mounts.put(guestPath, host);
        return this;
    }

    public WasiRunner stdout(OutputStream out) {
        this.stdout = out;
        return this;
    }

    public WasiRunner stderr(OutputStream err) {
        this.stderr = err;
        return this;
    }

    public WasiRunner stdin(byte[] in) {
        this.stdin = in.clone();
        return this;
    }

    public Result run() {
        if (!Files.isRegularFile(wasm)) {
            throw new FaasmException("WebAssembly module " + wasm + " does not exist", wasm.toString(),
                    "build it first (./mvnw install) or point at an existing .wasm file");
        }
        CompiledModules.Compiled c = CompiledModules.get(wasm, compilerCache);
        WasiOptions.Builder opts = WasiOptions.builder()
                .withStdout(stdout)
                .withStderr(stderr)
                .withStdin(new ByteArrayInputStream(stdin))
                .withArguments(args);
        env.forEach(opts::withEnvironment);
        mounts.forEach((guest, host) -> opts.withDirectory(guest, GuestFileSystem.mount(host, false)));
        // the same WASI imports as the Faasm host: a refused write is EROFS here too
        try (GuestWasi wasi = new GuestWasi(opts::build)) {
            ImportValues imports = ImportValues.builder().withFunctions(new java.util.ArrayList<>(wasi.imports())).build();
            Instance instance = Instance.builder(c.module())
                    .withImportValues(imports)
                    .withMachineFactory(c.machines())
                    .withStart(false)
                    .build();
            try {
                instance.export("_start").apply();
                return new Result(0);
            } catch (WasiExitException e) {
                return new Result(e.exitCode());
            }
        }
    }
}
