package org.faasm.python.host;

/**
 * A setting a failure is about, as data ({@link FaasmException#setting()}): the host's
 * ({@link HostSetting}) or a front end's. Messages name it by its key; the front end shows where the
 * user sets it (the Maven plugin: its user property and parameter).
 */
public interface Setting {
    /** The setting's name: the option or parameter that holds it, e.g. {@code timeout}. */
    String key();
}
