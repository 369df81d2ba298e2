package org.faasm.python.host.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.faasm.python.host.abi.FaasmAbi;
import org.faasm.python.host.abi.GuestCall;
import org.faasm.python.host.engine.WasmEngine;
import org.faasm.python.host.wasi.GuestWasi;
import run.endive.runtime.HostFunction;
import run.endive.wasi.WasiOptions;

/** An instance of the entrypoint with its WASI and Faasm imports; runs one call at a time. */
final class GuestInstance implements FaasmAbi.Caller {
    final GuestWasi wasi;
    final WasmEngine.Guest instance;
    /** The instance's memory limit in pages: memory, or less where totalMemory left less. */
    final int maxPages;
    /** The pages this instance holds of the {@link MemoryBudget}. */
    long reserved;
    /** The call it runs, or null. */
    volatile GuestCall call;

    /**
     * @param faasm the Faasm host functions of this instance
     */
    GuestInstance(WasmEngine.LoadedModule module, Supplier<WasiOptions> wasiOptions, Function<GuestInstance, List<HostFunction>> faasm,
            int maxPages) {
        this.maxPages = maxPages;
        this.wasi = new GuestWasi(wasiOptions);
        List<HostFunction> functions = new ArrayList<>(wasi.imports());
        functions.addAll(faasm.apply(this));
        this.instance = module.instantiate(functions, maxPages);
    }

    @Override
    public GuestCall call() {
        return call;
    }

    void close() {
        wasi.close();
        instance.close();
    }
}
