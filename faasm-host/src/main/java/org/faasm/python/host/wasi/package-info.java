/**
 * WASI preview 1 for a guest and the guest's file system: read-only mounts confined to their
 * directory, each call's own {@code /tmp}, and what a call may take there (bytes, open files, names).
 */
package org.faasm.python.host.wasi;
