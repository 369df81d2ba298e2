/**
 * The local Faasm host for Python functions, a plain Java library with no Maven types: its limits
 * ({@link org.faasm.python.host.HostLimits}) and its error type. The host itself is {@code run.FaasmHost}.
 */
package org.faasm.python.host;
