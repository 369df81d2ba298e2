package org.faasm.python.core.wheel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.faasm.python.host.FaasmException;

/**
 * Installs a pure-Python wheel into a site-packages directory (a pure wheel installs by unpacking).
 * Checks first, writes after: a wheel built for another platform, one with a native library, or one
 * with entries that would land outside the target is refused before anything is written.
 */
public final class WheelInstaller {
    /** The platform tag of a wheel built with the cross environment ({@code _PYTHON_HOST_PLATFORM=wasi-wasm32}). */
    public static final String CROSS_PLATFORM_TAG = "wasi_wasm32";

    private WheelInstaller() {}

    /** Installs a pure-Python wheel and returns the top-level names it installed. */
    public static List<String> install(Path wheel, Path sitePackages) {
        return install(wheel, sitePackages, null);
    }

    /**
     * Installs a wheel this build made for wasm32-wasi (platform tag {@code wasi_wasm32}), whose C
     * extensions are static archives named with {@code extSuffix}; they are checked when the module
     * is collected.
     */
    public static List<String> installCrossBuilt(Path wheel, Path sitePackages, String extSuffix) {
        return install(wheel, sitePackages, extSuffix);
    }

    private static List<String> install(Path wheel, Path sitePackages, String extSuffix) {
        Path root = sitePackages.toAbsolutePath().normalize();
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            String wheelMeta = null;
            for (ZipEntry e : entries) {
                String name = e.getName();
                Path dest = root.resolve(name).normalize();
                if (name.startsWith("/") || !dest.startsWith(root)) {
                    throw new FaasmException("Wheel " + wheel.getFileName() + " has an entry outside site-packages: " + name,
                            wheel.toString(), "do not use this wheel");
                }
                if (extSuffix != null && name.endsWith(extSuffix)) {
                    continue;
                }
                if (name.endsWith(".so") || name.endsWith(".pyd") || name.endsWith(".dylib") || name.endsWith(".dll")) {
                    throw new FaasmException("Wheel " + wheel.getFileName() + " contains a native library built for another platform: "
                            + name, wheel.toString(), "use a pure-Python wheel, or build the package's C extension for wasm32-wasi");
                }
                if (name.endsWith(".dist-info/WHEEL")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        wheelMeta = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
            if (wheelMeta == null) {
                throw new FaasmException("Wheel " + wheel.getFileName() + " has no .dist-info/WHEEL file", wheel.toString(),
                        "rebuild the wheel");
            }
            for (String line : wheelMeta.split("\n")) {
                if (line.startsWith("Tag:") && !line.trim().endsWith("-none-any")
                        && !(extSuffix != null && line.trim().endsWith("-" + CROSS_PLATFORM_TAG))) {
                    throw new FaasmException("Wheel " + wheel.getFileName() + " is built for another platform (" + line.trim() + ")",
                            wheel.toString(), "use a pure-Python wheel (tag py3-none-any) or build it for wasm32-wasi");
                }
            }
            List<String> top = new ArrayList<>();
            for (ZipEntry e : entries) {
                Path dest = root.resolve(e.getName()).normalize();
                if (e.isDirectory()) {
                    Files.createDirectories(dest);
                    continue;
                }
                Files.createDirectories(dest.getParent());
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                String first = e.getName().contains("/") ? e.getName().substring(0, e.getName().indexOf('/')) : e.getName();
                if (!top.contains(first)) {
                    top.add(first);
                }
            }
            return top;
        } catch (IOException e) {
            throw new FaasmException("Wheel " + wheel + " is not a valid wheel: " + e.getMessage(), wheel.toString(),
                    "rebuild the wheel", e);
        }
    }
}
