package org.faasm.python.host.util;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Messages of exceptions for users: every cause, never a bare {@code null}. */
public final class Errors {
    private Errors() {}

    /** "Class: message, caused by Class: message, ..." with repeated links of the chain left out. */
    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        String previous = null;
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            String one = t.getClass().getName() + (t.getMessage() == null || t.getMessage().isBlank() ? "" : ": " + t.getMessage());
            if (one.equals(previous)) {
                continue; // a client wraps an exception in another of the same kind
            }
            sb.append(sb.length() > 0 ? ", caused by " : "").append(one);
            previous = one;
        }
        return sb.toString();
    }
}
