package org.faasm.python.core.wheel;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;

/**
 * Builds a pure-Python wheel ({@code py3-none-any}) from a source directory, reproducibly (sorted
 * entries, fixed times), with the METADATA, WHEEL and RECORD files of the wheel format. Building
 * it here needs neither setuptools' bdist_wheel nor the {@code wheel} package, which the build
 * python does not bundle.
 */
public final class WheelBuilder {
    private WheelBuilder() {}

    /** The wheel's file name, e.g. {@code pyfaasm-0.1.0-py3-none-any.whl}. */
    public static String fileName(String name, String version) {
        return normalise(name) + "-" + version + "-py3-none-any.whl";
    }

    static String normalise(String name) {
        return name.replaceAll("[-_.]+", "_");
    }

    /**
     * @param sourceRoot directory holding the package directories
     * @param packages top-level package names to include (directories below sourceRoot)
     */
    public static Path build(Path sourceRoot, java.util.List<String> packages, String name, String version, String summary,
            Path outputDir, long mtimeMillis) {
        if (!version.matches("[0-9]+(\\.[0-9]+)*([ab]|rc)?[0-9]*(\\.post[0-9]+)?(\\.dev[0-9]+)?")) {
            throw new FaasmException("'" + version + "' is not a Python (PEP 440) version", "<pythonVersion> of the wheel goal",
                    "use a version such as 0.1.0 (a Maven -SNAPSHOT suffix is not valid in a wheel)");
        }
        Map<String, byte[]> entries = new TreeMap<>();
        for (String pkg : packages) {
            Path dir = sourceRoot.resolve(pkg);
            if (!Files.isRegularFile(dir.resolve("__init__.py"))) {
                throw new FaasmException("Package " + pkg + " has no __init__.py in " + sourceRoot, dir.toString(),
                        "list the package directories of the Python sources");
            }
            for (String rel : FileTrees.listFiles(dir)) {
                if (FileTrees.isBytecode(rel)) {
                    continue;
                }
                try {
                    entries.put(pkg + "/" + rel, Files.readAllBytes(dir.resolve(rel)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        String distInfo = normalise(name) + "-" + version + ".dist-info";
        entries.put(distInfo + "/METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\nSummary: "
                + summary + "\nRequires-Python: >=3.11\n").getBytes(StandardCharsets.UTF_8));
        entries.put(distInfo + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: faasm-python-maven-plugin\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
                .getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        entries.forEach((path, data) -> record.append(path).append(",sha256=")
                .append(Base64.getUrlEncoder().withoutPadding().encodeToString(Digests.sha256().digest(data))).append(',')
                .append(data.length).append('\n'));
        record.append(distInfo).append("/RECORD,,\n");
        entries.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));

        Path target = outputDir.resolve(fileName(name, version));
        Path tmp = AtomicFiles.tempSibling(target);
        try {
            Files.createDirectories(outputDir);
            try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    ZipEntry ze = new ZipEntry(e.getKey());
                    ze.setTime(mtimeMillis);
                    zip.putNextEntry(ze);
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            AtomicFiles.moveReplacing(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
        return target;
    }
}
