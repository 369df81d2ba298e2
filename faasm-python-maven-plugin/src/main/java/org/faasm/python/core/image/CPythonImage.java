package org.faasm.python.core.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.faasm.python.core.sysroot.SysrootLayout;
import org.faasm.python.core.BuildSetting;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * The {@code faasm/cpython} container image, built without a Docker daemon by jib-core from an
 * assembled sysroot. The sysroot goes under {@link #PREFIX}, in layers split by how often they
 * change: the standard library, site-packages, libpython with headers, the entrypoint. File times
 * and the creation time are fixed, so the same sysroot gives the same digest.
 */
public final class CPythonImage {
    /** Where the sysroot lives in the image, as in Faasm's images. */
    public static final String PREFIX = "/usr/local/faasm";

    /** How and where to build. */
    public record Request(
            Path sysroot,
            String target,
            String baseImage,
            boolean insecure,
            String username,
            String password,
            Path tarball,
            Path cacheDirectory,
            boolean offline) {}

    /** What was built. */
    public record Result(String reference, String digest, String imageId) {}

    private CPythonImage() {}

    public static Result build(Request r, Log log) {
        ImageReference target;
        try {
            target = ImageReference.parse(r.target());
        } catch (InvalidImageReferenceException e) {
            throw new FaasmException("'" + r.target() + "' is not a valid image reference", BuildSetting.IMAGE,
                    "write it as [registry/]repository[:tag], e.g. registry.example.org/faasm/cpython:0.1.0");
        }
        if (!Files.isDirectory(r.sysroot().resolve(SysrootLayout.RUNTIME_ROOT))) {
            throw new FaasmException("No assembled sysroot in " + r.sysroot(), BuildSetting.SYSROOT_DIRECTORY,
                    "run the package phase first (./mvnw package), or unpack a sysroot with faasm-python:sysroot");
        }
        if (r.tarball() == null && r.offline()) {
            throw new FaasmException("Cannot push " + r.target() + " in offline mode", "-o",
                    "go online, or write an image tarball (tarball=<file>)");
        }
        try {
            JibContainerBuilder builder = r.baseImage() == null || r.baseImage().isBlank() ? Jib.fromScratch() : Jib.from(r.baseImage());
            builder.setCreationTime(Instant.EPOCH);
            builder.addLabel("org.opencontainers.image.title", "faasm/cpython");
            Path sysroot = r.sysroot();
            for (FileEntriesLayer layer : layers(sysroot)) {
                builder.addFileEntriesLayer(layer);
            }
            Containerizer containerizer;
            if (r.tarball() != null) {
                Files.createDirectories(r.tarball().toAbsolutePath().getParent());
                containerizer = Containerizer.to(TarImage.at(r.tarball()).named(target));
            } else {
                RegistryImage image = RegistryImage.named(target);
                if (r.username() != null) {
                    image.addCredential(r.username(), r.password() == null ? "" : r.password());
                }
                containerizer = Containerizer.to(image);
            }
            containerizer.setAllowInsecureRegistries(r.insecure()).setOfflineMode(r.offline()).setToolName("faasm-python-maven-plugin");
            if (r.cacheDirectory() != null) {
                containerizer.setApplicationLayersCache(r.cacheDirectory().resolve("application"));
                containerizer.setBaseImageLayersCache(r.cacheDirectory().resolve("base"));
            }
            log.info(r.tarball() != null ? "Writing image " + target + " to " + r.tarball() : "Pushing image " + target);
            JibContainer c = builder.containerize(containerizer);
            log.info("Image " + target + " digest " + c.getDigest() + ", id " + c.getImageId());
            return new Result(target.toString(), c.getDigest().toString(), c.getImageId().toString());
        } catch (RegistryException e) {
            throw new FaasmException("The registry refused the image " + r.target() + ": " + e.getMessage(), BuildSetting.IMAGE,
                    "check the registry, the repository name and your credentials (a <server> in settings.xml whose id is the registry host)",
                    e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String hint = cause instanceof java.net.ConnectException || String.valueOf(cause.getMessage()).contains("Connection refused")
                    ? "the registry is unreachable: check the host and port, and set insecure to true for a plain-HTTP registry"
                    : "check the registry and your credentials (a <server> in settings.xml whose id is the registry host)";
            throw new FaasmException("Could not push " + r.target() + ": " + cause, BuildSetting.IMAGE, hint, e);
        } catch (IOException | InvalidImageReferenceException | com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
            throw new FaasmException("Could not build the image " + r.target() + ": " + e.getMessage(), BuildSetting.IMAGE,
                    "check the base image and the cache directory", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The layers, least often changed first. */
    static List<FileEntriesLayer> layers(Path sysroot) {
        Path stdlibRoot = sysroot.resolve(SysrootLayout.RUNTIME_ROOT);
        return List.of(
                layer("stdlib", sysroot, SysrootLayout.RUNTIME_ROOT, rel -> !rel.contains("/site-packages/")),
                layer("site-packages", sysroot, SysrootLayout.RUNTIME_ROOT, rel -> rel.contains("/site-packages/")),
                layer("libpython-and-headers", sysroot, SysrootLayout.LLVM_SYSROOT, rel -> true),
                layer("entrypoint", sysroot, "wasm", rel -> true));
    }

    private static FileEntriesLayer layer(String name, Path sysroot, String top, Predicate<String> include) {
        FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName(name);
        Path dir = sysroot.resolve(top);
        if (Files.isDirectory(dir)) {
            for (String rel : FileTrees.listFiles(dir)) {
                if (include.test(rel)) {
                    b.addEntry(dir.resolve(rel), AbsoluteUnixPath.get(PREFIX + "/" + top + "/" + rel), FilePermissions.DEFAULT_FILE_PERMISSIONS,
                            FileEntriesLayer.DEFAULT_MODIFICATION_TIME);
                }
            }
        }
        return b.build();
    }
}
