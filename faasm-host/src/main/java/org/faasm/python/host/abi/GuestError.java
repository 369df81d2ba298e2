package org.faasm.python.host.abi;

/** A bad value passed by the guest to a host function, or a limit it reached: the call fails with this message. */
public final class GuestError extends RuntimeException {
    public GuestError(String message) {
        super(message);
    }
}
