/**
 * Files, digests, logging and error text shared by the host and the plugin.
 */
package org.faasm.python.host.util;
