/** Deterministic tar.gz archives: the same bytes for the same files, wherever and whenever they are made. */
package org.faasm.python.core.archive;
