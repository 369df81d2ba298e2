package org.faasm.python.core.toolchain;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What toolchain discovery may look at: environment variables, the PATH and the file system. Tests
 * point {@link #root()} at a fake directory layout; absolute paths such as {@code /opt/wasi-sdk} are
 * resolved below it.
 */
public record HostEnvironment(Map<String, String> env, Path root) {

    public static HostEnvironment system() {
        return new HostEnvironment(System.getenv(), Path.of("/"));
    }

    public Optional<String> getenv(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /** An absolute host path such as /usr/bin/clang-16, seen through {@link #root()}. */
    public Path path(String absolute) {
        if (root.toString().equals("/")) {
            return Path.of(absolute);
        }
        return root.resolve(absolute.replaceFirst("^/+", ""));
    }

    /** An executable named {@code name} on the PATH. */
    public Optional<Path> which(String name) {
        String pathVar = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : pathVar.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = path(dir).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public List<String> pathDirectories() {
        List<String> out = new ArrayList<>();
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                out.add(dir);
            }
        }
        return out;
    }
}
