/**
 * The WebAssembly engines behind {@link org.faasm.python.host.engine.WasmEngine}: wasmtime through JNI
 * and Endive (pure JVM), with their compiled-code caches.
 */
package org.faasm.python.host.engine;
