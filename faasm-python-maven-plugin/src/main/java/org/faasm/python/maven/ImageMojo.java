package org.faasm.python.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.faasm.python.core.image.CPythonImage;

/**
 * Builds the {@code faasm/cpython} image from the assembled sysroot with jib-core (no Docker daemon)
 * and pushes it, or writes it as a tarball. Bound to {@code deploy} in the faasm-cpython packaging.
 * Credentials come from the {@code <server>} in settings.xml whose id is the registry host.
 *
 * @since 0.1.0
 */
@Mojo(name = "image", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class ImageMojo extends AbstractFaasmMojo {

    /**
     * The image to build: {@code [registry/]repository[:tag]}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.image", defaultValue = "faasm/cpython:${project.version}")
    protected String image;

    /**
     * The base image; default none (an image from scratch holding only the sysroot).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.image.base")
    protected String baseImage;

    /**
     * Allow a registry over plain HTTP (or with an untrusted certificate), such as one on loopback.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.image.insecure", defaultValue = "false")
    protected boolean insecure;

    /**
     * Write the image to this tarball instead of pushing it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.image.tarball")
    protected File tarball;

    /**
     * Skip the image (for example in a {@code deploy} that only publishes Maven artifacts).
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.image.skip", defaultValue = "false")
    protected boolean skipImage;

    /**
     * The sysroot to put in the image.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.sysrootDirectory", defaultValue = "${project.build.directory}/faasm-sysroot")
    protected File sysrootDirectory;

    @Parameter(defaultValue = "${settings}", readonly = true)
    protected Settings settings;

    @Override
    protected void run() {
        if (skipImage) {
            getLog().info("Skipping the image (faasm.image.skip=true)");
            return;
        }
        String registry = image.contains("/") && image.substring(0, image.indexOf('/')).matches(".*[.:].*|localhost")
                ? image.substring(0, image.indexOf('/')) : "registry-1.docker.io";
        Server server = settings == null ? null : settings.getServer(registry);
        CPythonImage.build(new CPythonImage.Request(sysrootDirectory.toPath(), image, baseImage, insecure,
                server == null ? null : server.getUsername(), server == null ? null : server.getPassword(),
                tarball == null ? null : tarball.toPath(), cacheRoot().resolve("jib"), session.isOffline()), log());
    }
}
