package org.faasm.python.core.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.faasm.python.host.FaasmException;

/**
 * The declared module set: a supported part (built by default) and an experimental part (built
 * only when named or asked for), like the original's modified and PyPI lists.
 */
public final class ModuleSet {
    private final Map<String, ModuleSpec> modules = new LinkedHashMap<>();
    private final String where;

    public ModuleSet(List<ModuleSpec> specs, String where) {
        this.where = where;
        for (ModuleSpec s : specs) {
            if (modules.put(key(s.name()), s) != null) {
                throw new FaasmException("Module " + s.name() + " is declared twice", where, "keep one <pythonModule> per name");
            }
        }
    }

    static String key(String name) {
        return name.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    public List<ModuleSpec> supported() {
        return modules.values().stream().filter(m -> !m.experimental()).toList();
    }

    public List<ModuleSpec> experimental() {
        return modules.values().stream().filter(ModuleSpec::experimental).toList();
    }

    /**
     * The modules to build: the named ones (in declaration order) or, with no names, every supported
     * module plus the experimental ones when {@code withExperimental}.
     */
    public List<ModuleSpec> select(List<String> names, boolean withExperimental, String namesSetting) {
        List<String> wanted = new ArrayList<>();
        if (names != null) {
            for (String n : names) {
                for (String part : n.split(",")) {
                    if (!part.isBlank()) {
                        wanted.add(key(part));
                    }
                }
            }
        }
        if (wanted.isEmpty()) {
            List<ModuleSpec> out = new ArrayList<>(supported());
            if (withExperimental) {
                out.addAll(experimental());
            }
            return out;
        }
        List<String> unknown = wanted.stream().filter(w -> !modules.containsKey(w)).toList();
        if (!unknown.isEmpty()) {
            throw new FaasmException("Unknown module" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + ". Supported modules: " + names(supported()) + (experimental().isEmpty() ? "" : "; experimental: " + names(experimental())),
                    namesSetting, "use one of the listed names (mvn faasm-python:modules shows them), or declare the module in " + where);
        }
        return modules.entrySet().stream().filter(e -> wanted.contains(e.getKey())).map(Map.Entry::getValue).toList();
    }

    static String names(List<ModuleSpec> specs) {
        return specs.isEmpty() ? "(none)" : String.join(", ", specs.stream().map(ModuleSpec::name).toList());
    }

    /** The listing of the {@code modules} goal. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("Supported modules (built by default):");
        supported().forEach(m -> lines.addAll(lines(m)));
        if (supported().isEmpty()) {
            lines.add("  (none)");
        }
        lines.add("Experimental modules (built when named in modules, or with includeExperimental):");
        experimental().forEach(m -> lines.addAll(lines(m)));
        if (experimental().isEmpty()) {
            lines.add("  (none)");
        }
        return lines;
    }

    private static List<String> lines(ModuleSpec m) {
        return List.of(String.format("  %-22s %-10s %s", m.name(), m.version() == null ? "" : m.version(),
                m.description() == null ? "" : m.description()).stripTrailing(), "      source: " + m.sourceLabel());
    }
}
