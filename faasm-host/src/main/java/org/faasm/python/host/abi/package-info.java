/**
 * Faasm's host interface: the {@code env.__faasm_*} functions a guest imports, with Faasm's semantics.
 */
package org.faasm.python.host.abi;
