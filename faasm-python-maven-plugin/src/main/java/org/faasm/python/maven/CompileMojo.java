package org.faasm.python.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.faasm.python.core.cpython.CPythonBuilder;

/**
 * Cross-compiles CPython for wasm32-wasi (zlib first), out of tree, or reuses the cached build with
 * the same key. Places python.wasm, libpython and its companion static libraries, the headers and the
 * standard library in {@code outputDirectory}. Sets {@code faasm.pythonWasm} and {@code faasm.wasmRoot}.
 *
 * @since 0.1.0
 */
@Mojo(name = "compile", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class CompileMojo extends AbstractCPythonMojo {
    @Override
    protected void run() {
        CPythonBuilder.WasmOutputs out = builder().wasm();
        project.getProperties().setProperty("faasm.wasmRoot", out.root().toString());
        project.getProperties().setProperty("faasm.pythonWasm", out.pythonWasm().toString());
        project.getProperties().setProperty("faasm.pythonVersion", out.pythonVersion());
    }
}
