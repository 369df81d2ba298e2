package org.faasm.python.host;

/**
 * A failure the user can act on. The message says what is wrong; {@link #where()} names the setting
 * or file at fault and {@link #hint()} says what to do. Mojos turn it into a build failure.
 */
public class FaasmException extends RuntimeException {
    private final String where;
    private final String hint;

    public FaasmException(String message, String where, String hint) {
        this(message, where, hint, null);
    }

    public FaasmException(String message, String where, String hint, Throwable cause) {
        super(message, cause);
        this.where = where;
        this.hint = hint;
    }

    /** The setting, property or file where the problem is configured, or null. */
    public String where() {
        return where;
    }

    /** What to do about it, or null. */
    public String hint() {
        return hint;
    }

    /** The full message: what, where, and what to do. */
    public String describe() {
        StringBuilder sb = new StringBuilder(getMessage());
        if (where != null) {
            sb.append(System.lineSeparator()).append("  where: ").append(where);
        }
        if (hint != null) {
            sb.append(System.lineSeparator()).append("  what to do: ").append(hint);
        }
        return sb.toString();
    }
}
