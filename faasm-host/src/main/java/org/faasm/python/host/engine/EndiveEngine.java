package org.faasm.python.host.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import run.endive.runtime.HostFunction;
import run.endive.runtime.ImportFunction;
import run.endive.runtime.ImportValues;
import run.endive.runtime.Instance;
import run.endive.runtime.Memory;
import run.endive.wasm.types.MemoryLimits;

/**
 * The pure-JVM engine: Endive (Chicory's continuation), with the module translated to JVM
 * bytecode once ({@link CompiledModules}: shipped beside the wasm, or in the user cache). Runs
 * wherever Maven runs. A call is stopped at its deadline by interrupting its thread.
 */
final class EndiveEngine implements WasmEngine {
    static final String NAME = "chicory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LoadedModule load(Path wasm, Path codeCache) {
        CompiledModules.Compiled c = CompiledModules.get(wasm, codeCache);
        int initial = c.module().memorySection().map(s -> s.getMemory(0).limits().initialPages()).orElse(0);
        return new LoadedModule() {
            @Override
            public String sha256() {
                return c.sha256();
            }

            @Override
            public int initialPages() {
                return initial;
            }

            @Override
            public Guest instantiate(List<HostFunction> imports, int maxPages) {
                Instance instance = Instance.builder(c.module())
                        .withImportValues(ImportValues.builder().withFunctions(new ArrayList<ImportFunction>(imports)).build())
                        .withMachineFactory(c.machines())
                        .withMemoryLimits(new MemoryLimits(initial, maxPages))
                        .withStart(false)
                        .build();
                return new EndiveGuest(instance);
            }
        };
    }

    private record EndiveGuest(Instance instance) implements Guest {
        @Override
        public void initialize() {
            instance.export("_initialize").apply();
        }

        @Override
        public int call(String export, long deadlineNanos) {
            long[] r = instance.export(export).apply();
            return r == null || r.length == 0 ? 0 : (int) r[0];
        }

        @Override
        public Memory memory() {
            return instance.memory();
        }

        @Override
        public long[][] globals() {
            long[][] g = new long[instance.globalCount()][];
            for (int i = 0; i < g.length; i++) {
                g[i] = new long[] {instance.global(i).getValueLow(), instance.global(i).getValueHigh()};
            }
            return g;
        }

        @Override
        public void restoreGlobals(long[][] globals) {
            for (int i = 0; i < globals.length; i++) {
                instance.global(i).setValueLow(globals[i][0]);
                instance.global(i).setValueHigh(globals[i][1]);
            }
        }

        @Override
        public void close() {
            // garbage collected
        }
    }
}
