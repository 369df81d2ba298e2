package org.faasm.python.host.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting a tree. */
class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void aTreeDeeperThanThePathLimitIsDeleted() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("deep"));
        String name = "d".repeat(200);
        // made with relative mkdir/cd, as a guest could through links: 6,000 bytes deep
        Process p = new ProcessBuilder("bash", "-c", "cd '" + root + "' && for i in $(seq 30); do mkdir " + name + " && cd " + name
                + " && echo x > f && ln -s / link || exit 1; done").inheritIO().start();
        assertEquals(0, p.waitFor());
        FileTrees.deleteRecursively(root);
        assertFalse(Files.exists(root));
        assertTrue(Files.exists(Path.of("/etc")), "links are deleted, never followed");
    }
}
