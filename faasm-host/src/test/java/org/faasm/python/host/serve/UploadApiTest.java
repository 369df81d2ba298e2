package org.faasm.python.host.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UploadApiTest {
    @Test
    void pathPartsAreFaasmsNoQueryNoOuterSlashesRepeatedSlashesAsOne() {
        assertEquals(List.of("p", "demo", "hello"), UploadApi.parts("//p///demo/hello/?x=1"));
        assertEquals(List.of(), UploadApi.parts("/"));
    }
}
