/**
 * Outputs keyed by their inputs, with stamps that list their files' digests: what the build
 * skips when nothing changed, and what the host verifies before it trusts a sysroot.
 */
package org.faasm.python.host.keyed;
