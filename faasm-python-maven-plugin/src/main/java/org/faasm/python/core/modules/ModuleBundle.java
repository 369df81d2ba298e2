package org.faasm.python.core.modules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.faasm.python.host.FaasmException;

/**
 * The built module set, as a directory (and, packaged, as a {@code faasm-modules} tar.gz):
 *
 * <pre>
 * site-packages/...               pure-Python files and metadata, for runtime_root/lib/pythonX.Y/site-packages
 * lib/libpyext-&lt;module&gt;.a        one static archive (wasm objects) per C extension
 * extensions.properties           &lt;dotted module name&gt;=lib/&lt;archive&gt;[ &lt;init function, when renamed&gt;]
 * modules.properties              &lt;name&gt;=&lt;version&gt; of each module built
 * </pre>
 */
public record ModuleBundle(Path root) {
    public static final String EXTENSIONS = "extensions.properties";
    public static final String MODULES = "modules.properties";

    public Path sitePackages() {
        return root.resolve("site-packages");
    }

    public Path libDir() {
        return root.resolve("lib");
    }

    /** The C extensions: dotted module name to its static archive. */
    public Map<String, Path> extensions() {
        Map<String, Path> out = new TreeMap<>();
        Path f = root.resolve(EXTENSIONS);
        if (!Files.isRegularFile(f)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(f)) {
                int eq = line.indexOf('=');
                if (line.isBlank() || line.startsWith("#") || eq < 0) {
                    continue;
                }
                Path archive = root.resolve(line.substring(eq + 1).trim().split(" ")[0]).normalize();
                if (!archive.startsWith(root) || !Files.isRegularFile(archive)) {
                    throw new FaasmException("The module bundle " + root + " lists a missing C extension archive: " + line, f.toString(),
                            "rebuild the modules artifact (mvn install in the modules project)");
                }
                out.put(line.substring(0, eq).trim(), archive);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The init function of each C extension: {@code PyInit_} and the last part of its name, unless
     * the bundle renamed it (two extensions of one last name, see {@link InitFunctions}).
     */
    public Map<String, String> initFunctions() {
        Map<String, String> out = new TreeMap<>();
        Path f = root.resolve(EXTENSIONS);
        if (!Files.isRegularFile(f)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(f)) {
                int eq = line.indexOf('=');
                if (line.isBlank() || line.startsWith("#") || eq < 0) {
                    continue;
                }
                String module = line.substring(0, eq).trim();
                String[] value = line.substring(eq + 1).trim().split(" ");
                out.put(module, value.length > 1 ? value[1] : ExtensionTable.initFunction(module));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public List<Path> archives() {
        return new ArrayList<>(extensions().values());
    }

    /** Static archive file name for an extension module, e.g. libpyext-genshi._speedups.a. */
    public static String archiveName(String module) {
        return "libpyext-" + module + ".a";
    }
}
