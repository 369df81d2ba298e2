package org.faasm.python.host.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.state.GlobalState;
import org.faasm.python.host.state.StateStore;
import org.junit.jupiter.api.Test;
import run.endive.runtime.HostFunction;
import run.endive.wasm.types.ValType;

class FaasmAbiTest {
    private static final class Host implements FaasmAbi.Host {
        final GlobalState global = new GlobalState.InMemory();

        @Override
        public HostLimits limits() {
            return HostLimits.DEFAULTS;
        }

        @Override
        public StateStore state(String user) {
            return new StateStore(user, global, 1 << 20);
        }

        @Override
        public Set<String> confFlags() {
            return Set.of();
        }

        @Override
        public int nextCallId() {
            return 1;
        }

        @Override
        public GuestCall.Chained chain(FaasmAbi.Caller caller, String entry, byte[] input) {
            return new GuestCall.Chained(0, new byte[0]);
        }
    }

    @Test
    void theHostInterfaceIsFaasmsEnvFunctionsOnI32s() {
        GuestCall call = new GuestCall("demo", "hello", "", new byte[0], 0, Long.MAX_VALUE);
        List<HostFunction> functions = new FaasmAbi(new Host()).functions(() -> call);
        Set<String> names = new HashSet<>();
        for (HostFunction f : functions) {
            assertEquals("env", f.module());
            assertTrue(f.name().startsWith("__faasm_"), f.name());
            assertTrue(names.add(f.name()), "one function per name: " + f.name());
            f.functionType().params().forEach(t -> assertEquals(ValType.I32, t, f.name()));
        }
        assertTrue(names.containsAll(Set.of("__faasm_read_input", "__faasm_write_output", "__faasm_chain_py", "__faasm_await_call",
                "__faasm_await_call_output", "__faasm_get_py_user", "__faasm_get_py_func", "__faasm_get_py_entry", "__faasm_read_state",
                "__faasm_write_state", "__faasm_push_state", "__faasm_pull_state", "__faasm_conf_flag")), names.toString());
    }

    @Test
    void aCallNamesItsEntryAsFaasmDoes() {
        assertEquals("", new GuestCall("u", "f", "faasm_main", new byte[0], 0, 0).entry);
        assertEquals("faasm_main", new GuestCall("u", "f", null, new byte[0], 0, 0).shownEntry());
        assertEquals("chained", new GuestCall("u", "f", "chained", new byte[0], 1, 0).shownEntry());
    }
}
