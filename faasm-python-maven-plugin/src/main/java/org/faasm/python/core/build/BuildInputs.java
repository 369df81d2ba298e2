package org.faasm.python.core.cpython;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.faasm.python.core.util.AtomicFiles;
import org.faasm.python.core.util.Digests;

/**
 * The named inputs of a build step. Their canonical text gives the content key of the output; the
 * inputs of the last successful build are kept under {@code target/} so a rebuild can say what
 * changed.
 */
public final class BuildInputs {
    private final Map<String, String> values = new LinkedHashMap<>();

    public BuildInputs put(String name, String value) {
        values.put(name, value == null ? "" : value);
        return this;
    }

    public Map<String, String> values() {
        return Map.copyOf(values);
    }

    public String canonical() {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(values).forEach((k, v) -> sb.append(k).append('=').append(v.replace("\n", "\\n")).append('\n'));
        return sb.toString();
    }

    /** The content key: sha256 of the canonical text. */
    public String key() {
        return Digests.sha256(canonical());
    }

    /** Human-readable differences from an earlier set of inputs. */
    public List<String> changesSince(Map<String, String> previous) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            String before = previous.get(e.getKey());
            if (before == null) {
                out.add(e.getKey() + " is new: " + e.getValue());
            } else if (!before.equals(e.getValue())) {
                out.add(e.getKey() + " changed: " + before + " -> " + e.getValue());
            }
        }
        for (String k : previous.keySet()) {
            if (!values.containsKey(k)) {
                out.add(k + " was removed");
            }
        }
        return out;
    }

    public void save(Path file) {
        AtomicFiles.writeString(file, canonical());
    }

    /** Inputs saved by {@link #save}, or an empty map when there are none. */
    public static Map<String, String> load(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Map<String, String> m = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1).replace("\\n", "\n"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return m;
    }

}
