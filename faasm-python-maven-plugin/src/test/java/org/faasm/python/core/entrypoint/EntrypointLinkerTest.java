package org.faasm.python.core.entrypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.faasm.python.host.FaasmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntrypointLinkerTest {
    @TempDir
    Path tmp;

    @Test
    void aLinkFailingOnAnExtensionsUndefinedSymbolsNamesTheExtensionTheSymbolsAndWhy() throws Exception {
        Path log = tmp.resolve("entrypoint.log");
        Files.writeString(log, String.join("\n",
                "$ clang-19 --target=wasm32-wasi ... -o py_func.linked.wasm",
                "wasm-ld: error: /m/lib/wasm32-wasi/libpyext-zstandard.backend_c.a(backend_c.o): undefined symbol: pthread_create",
                "wasm-ld: error: /m/lib/wasm32-wasi/libpyext-zstandard.backend_c.a(backend_c.o): undefined symbol: pthread_join",
                "wasm-ld: error: /m/lib/wasm32-wasi/libpyext-sysv_ipc.a(sysv_ipc_module.o): undefined symbol: shmget",
                "wasm-ld: error: /m/lib/wasm32-wasi/libpyext-zmq.backend.cython._zmq.a(_zmq.o): undefined symbol: zmq_ctx_new",
                "clang: error: linker command failed with exit code 1"));
        FaasmException cause = new FaasmException("entrypoint: link py_func.wasm failed", log.toString(), "read the log");
        FaasmException e = EntrypointLinker.undefinedSymbols(log, cause);
        String m = e.getMessage();
        assertTrue(m.contains("the C extension zstandard.backend_c calls pthread_create, pthread_join: it needs threads"), m);
        assertTrue(m.contains("the C extension sysv_ipc calls shmget: calls WASI does not have"), m);
        assertTrue(m.contains("the C extension zmq.backend.cython._zmq calls zmq_ctx_new: no library linked into py_func.wasm defines them"), m);
        assertEquals(log.toString(), e.where());
        assertTrue(e.hint().contains(log.toString()), e.hint());
        // another failure is passed on as it was
        Files.writeString(log, "wasm-ld: error: out of memory\n");
        assertSame(cause, EntrypointLinker.undefinedSymbols(log, cause));
        assertEquals("entrypoint: link py_func.wasm failed", cause.getMessage().split("\n")[0]);
    }
}
