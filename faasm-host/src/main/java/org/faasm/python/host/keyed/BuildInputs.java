package org.faasm.python.host.keyed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.faasm.python.host.util.Digests;

/**
 * The named inputs of a build step. Their canonical text gives the content key of the output; a
 * {@link KeyedOutput}'s stamp keeps them so a rebuild can say what changed.
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
}
