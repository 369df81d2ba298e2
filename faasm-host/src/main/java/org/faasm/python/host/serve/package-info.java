/**
 * Serving: a local Faasm that stays up ({@link org.faasm.python.host.serve.LocalFaasm}), speaking
 * Faasm's planner and upload HTTP APIs in protobuf's JSON mapping of faabric's messages, with its
 * functions uploaded or read from a directory and reloaded when they change.
 */
package org.faasm.python.host.serve;
