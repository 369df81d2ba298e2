/**
 * The host that runs calls: the zygote and its snapshot, pooled instances within the memory budget,
 * a guest thread per call with its deadline, chaining, and what ends a call.
 */
package org.faasm.python.host.run;
