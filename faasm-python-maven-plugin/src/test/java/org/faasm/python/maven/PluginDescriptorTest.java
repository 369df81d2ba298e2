package org.faasm.python.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Guards the conventions of the generated plugin descriptor. */
class PluginDescriptorTest {
    private static String descriptor() throws Exception {
        return Files.readString(Path.of("target/classes/META-INF/maven/plugin.xml"));
    }

    /** Maven-wide properties: the generated help goal's own, and the usual switch to skip tests. */
    private static final Set<String> HELP_GOAL = Set.of("detail", "goal", "lineLength", "indentSize", "skipTests");

    @Test
    void everyUserPropertyUsesTheFaasmPrefixAndIsKnown() throws Exception {
        Matcher m = Pattern.compile("\\$\\{([^}]+)\\}").matcher(descriptor());
        Set<String> properties = new TreeSet<>();
        while (m.find()) {
            String name = m.group(1);
            if (!name.startsWith("project") && !name.startsWith("session") && !name.startsWith("maven.")
                    && !name.startsWith("mojoExecution") && !name.startsWith("plugin") && !name.startsWith("settings")
                    && !HELP_GOAL.contains(name)) {
                properties.add(name);
            }
        }
        for (String p : properties) {
            assertTrue(p.startsWith("faasm."), "user property without the faasm. prefix: " + p);
        }
        Set<String> unlisted = new TreeSet<>(properties);
        unlisted.removeAll(KnownProperties.ALL);
        assertEquals(Set.of(), unlisted, "properties missing from KnownProperties");
        Set<String> stale = new TreeSet<>(KnownProperties.ALL);
        stale.removeAll(properties);
        assertEquals(Set.of(), stale, "KnownProperties lists properties no parameter has");
    }

    @Test
    void everyEditableParameterIsDocumented() throws Exception {
        String xml = descriptor();
        Matcher params = Pattern.compile("<parameter>(.*?)</parameter>", Pattern.DOTALL).matcher(xml);
        List<String> undocumented = new ArrayList<>();
        while (params.find()) {
            String p = params.group(1);
            boolean editable = p.contains("<editable>true</editable>");
            Matcher d = Pattern.compile("<description>(.*?)</description>", Pattern.DOTALL).matcher(p);
            if (editable && (!d.find() || d.group(1).isBlank())) {
                Matcher n = Pattern.compile("<name>(.*?)</name>").matcher(p);
                undocumented.add(n.find() ? n.group(1) : p);
            }
        }
        assertEquals(List.of(), undocumented);
    }

    @Test
    void theGoalPrefixIsFaasmPython() throws Exception {
        assertTrue(descriptor().contains("<goalPrefix>faasm-python</goalPrefix>"));
    }
}
