package org.faasm.python.host;

/**
 * A setting of the host, by the name its options and limits give it ({@link HostLimits},
 * {@code HostOptions}, the server's options). Errors carry the setting that is wrong as data
 * ({@link FaasmException#setting()}) and messages name it by {@link #key()}; a front end such as
 * the Maven plugin shows where the user sets it (its property and parameter).
 */
public enum HostSetting implements Setting {
    TIMEOUT("timeout"),
    MEMORY("memory"),
    CHAIN_DEPTH("chainDepth"),
    CHAIN_FAN_OUT("chainFanOut"),
    MAX_INPUT_BYTES("maxInputBytes"),
    MAX_OUTPUT_BYTES("maxOutputBytes"),
    TMP_SIZE("tmpSize"),
    MAX_OPEN_FILES("maxOpenFiles"),
    STATE_SIZE("stateSize"),
    TOTAL_MEMORY("totalMemory"),
    STATE("state"),
    PRELOAD("preload"),
    ENGINE("engine"),
    USER("user"),
    FUNCTION("function"),
    INPUT("input"),
    INPUT_FILE("inputFile"),
    FUNCTIONS("functions"),
    SERVE_FOR("serveFor"),
    WORKERS("workers"),
    PORT("port"),
    UPLOAD_PORT("uploadPort");

    private final String key;

    HostSetting(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }
}
