package org.faasm.python.core.build;

import java.util.ArrayList;
import java.util.List;
import org.faasm.python.host.util.Log;

/** A log that keeps what it was told, for assertions on what a user reads. */
final class RecordingLog implements Log {
    final List<String> infos = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    @Override
    public void info(String message) {
        infos.add(message);
    }

    @Override
    public void warn(String message) {
        warnings.add(message);
    }

    @Override
    public void debug(String message) {}

    String all() {
        return String.join("\n", infos) + "\n" + String.join("\n", warnings);
    }
}
