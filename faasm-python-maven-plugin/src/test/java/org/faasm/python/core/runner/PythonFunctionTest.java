package org.faasm.python.core.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostSetting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonFunctionTest {
    @TempDir
    Path tmp;

    @Test
    void aSingleFileIsStagedAsFunctionPy() throws Exception {
        Path file = Files.writeString(tmp.resolve("hello.py"), "def faasm_main(): pass\n");

        PythonFunction f = PythonFunction.locate(file, tmp.resolve("staging"), HostSetting.FUNCTION);

        assertEquals("hello", f.name());
        assertEquals("def faasm_main(): pass\n", Files.readString(f.directory().resolve("function.py")));
    }

    @Test
    void aMissingFunctionAndADirectoryWithoutFunctionPyAreExplained() throws Exception {
        FaasmException missing = assertThrows(FaasmException.class,
                () -> PythonFunction.locate(tmp.resolve("nope.py"), tmp, HostSetting.FUNCTION));
        assertTrue(missing.getMessage().contains("does not exist"));
        assertEquals(HostSetting.FUNCTION, missing.setting());

        Files.createDirectories(tmp.resolve("empty"));
        FaasmException noFunction = assertThrows(FaasmException.class, () -> PythonFunction.locate(tmp.resolve("empty"), tmp, HostSetting.FUNCTION));
        assertTrue(noFunction.getMessage().contains("has no function.py"));
    }
}
