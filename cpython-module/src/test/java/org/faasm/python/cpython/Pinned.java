package org.faasm.python.cpython;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The CPython version the reactor pins (third-party/cpython/pin.properties): what the build must have made. */
final class Pinned {
    /** The full version, e.g. 3.13.15. */
    static final String VERSION = load();
    /** major.minor, e.g. 3.13. */
    static final String MAJOR_MINOR = VERSION.substring(0, VERSION.lastIndexOf('.'));
    /** The bytecode tag, e.g. cpython-313. */
    static final String CACHE_TAG = "cpython-" + MAJOR_MINOR.replace(".", "");

    private Pinned() {}

    private static String load() {
        Path pin = Path.of(System.getProperty("faasm.cpythonPin", "../third-party/cpython/pin.properties"));
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(pin)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPython pin " + pin, e);
        }
        return p.getProperty("version").trim();
    }
}
