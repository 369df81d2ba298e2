package org.faasm.python.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KnownPropertiesTest {
    @Test
    void onlyUnknownFaasmPropertiesAreReportedWithTheClosestKnownName() {
        Properties p = new Properties();
        p.setProperty("faasm.skip", "true");
        p.setProperty("faasm.jbos", "2");
        p.setProperty("faasm.completely.different.thing", "x");
        p.setProperty("other.tool.option", "y");

        assertEquals(List.of("-Dfaasm.completely.different.thing", "-Dfaasm.jbos (did you mean -Dfaasm.jobs?)"),
                KnownProperties.unknown(p));
    }
}
