package org.faasm.python.core.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.Setting;

/**
 * A Python function on the host: a directory holding {@code function.py} (mounted as
 * {@code /pyfuncs/<user>/<func>}) and its name. A single file such as {@code hello.py} is staged
 * into a directory of its own as {@code function.py}, under the name {@code hello}.
 */
public record PythonFunction(Path directory, String name) {

    public static PythonFunction locate(Path path, Path stagingRoot, Setting where) {
        if (path == null) {
            throw new FaasmException("No function given", where, "give a Python file, or a directory holding function.py");
        }
        Path p = path.toAbsolutePath().normalize();
        if (Files.isDirectory(p)) {
            if (!Files.isRegularFile(p.resolve("function.py"))) {
                throw new FaasmException("Directory " + p + " has no function.py", where,
                        "point it at a Python file, or at a directory holding function.py");
            }
            return new PythonFunction(p, p.getFileName().toString());
        }
        if (!Files.isRegularFile(p)) {
            throw new FaasmException("Function file " + p + " does not exist", where, "check the path (relative paths are resolved against the project directory)");
        }
        String file = p.getFileName().toString();
        if (!file.endsWith(".py")) {
            throw new FaasmException("Function file " + p + " is not a .py file", where, "give the Python source of the function");
        }
        if (file.equals("function.py")) {
            return new PythonFunction(p.getParent(), p.getParent().getFileName().toString());
        }
        String name = file.substring(0, file.length() - 3);
        try {
            Path dir = stagingRoot.resolve(name);
            Files.createDirectories(dir);
            Files.copy(p, dir.resolve("function.py"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new PythonFunction(dir, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + p, e);
        }
    }
}
