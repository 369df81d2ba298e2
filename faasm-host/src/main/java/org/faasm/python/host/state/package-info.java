/**
 * Faasm state: a host's local copies in front of a global tier (one run's memory, or Redis).
 */
package org.faasm.python.host.state;
