package org.faasm.python.host;

/**
 * A failure the user can act on. The message says what is wrong; {@link #setting()} is the setting
 * at fault, as data, or {@link #where()} names the file or place; {@link #hint()} says what to do.
 * Mojos turn it into a build failure, showing a setting as its property and parameter.
 */
public class FaasmException extends RuntimeException {
    private final String where;
    private final Setting setting;
    private final String hint;

    public FaasmException(String message, String where, String hint) {
        this(message, where, hint, null);
    }

    public FaasmException(String message, String where, String hint, Throwable cause) {
        this(message, where, null, hint, cause);
    }

    /** A failure of a setting's value: the setting is data, for a front end to show where it is set. */
    public FaasmException(String message, Setting setting, String hint) {
        this(message, setting, hint, null);
    }

    public FaasmException(String message, Setting setting, String hint, Throwable cause) {
        this(message, null, setting, hint, cause);
    }

    private FaasmException(String message, String where, Setting setting, String hint, Throwable cause) {
        super(message, cause);
        this.where = where;
        this.setting = setting;
        this.hint = hint;
    }

    /** The file or place where the problem is, or null (see {@link #setting()}). */
    public String where() {
        return where;
    }

    /** The setting whose value is wrong, or null. */
    public Setting setting() {
        return setting;
    }

    /** What to do about it, or null. */
    public String hint() {
        return hint;
    }

    /** The full message: what, where (a setting by its name), and what to do. */
    public String describe() {
        return describe(s -> "the setting " + s.key());
    }

    /** The full message, with the place a setting is set as {@code whereOf} gives it (e.g. its property). */
    public String describe(java.util.function.Function<Setting, String> whereOf) {
        StringBuilder sb = new StringBuilder(getMessage());
        if (where != null) {
            sb.append(System.lineSeparator()).append("  where: ").append(where);
        } else if (setting != null) {
            sb.append(System.lineSeparator()).append("  where: ").append(whereOf.apply(setting));
        }
        if (hint != null) {
            sb.append(System.lineSeparator()).append("  what to do: ").append(hint);
        }
        return sb.toString();
    }
}
