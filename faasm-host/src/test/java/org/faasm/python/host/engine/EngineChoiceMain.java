package org.faasm.python.host.engine;

import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Log;

/** Prints what {@code faasm.engine} gives in this JVM (run by {@link WasmEngineTest} with another os.name). */
public final class EngineChoiceMain {
    private EngineChoiceMain() {}

    public static void main(String[] args) {
        try {
            Engines.select("wasmtime", Log.NONE);
            System.out.println("wasmtime: selected");
        } catch (FaasmException e) {
            System.out.println("wasmtime: " + e.describe().replace(System.lineSeparator(), " | "));
        }
        System.out.println("auto: " + Engines.select("auto", Log.STDERR).name());
    }
}
