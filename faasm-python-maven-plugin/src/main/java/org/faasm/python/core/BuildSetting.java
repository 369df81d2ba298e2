package org.faasm.python.core;

import org.faasm.python.host.Setting;

/**
 * The settings of the build and release that a failure may be about, by their parameter names:
 * the core raises them as data ({@link org.faasm.python.host.FaasmException#setting()}), and the
 * goals show where the user sets them (user property and parameter).
 */
public enum BuildSetting implements Setting {
    JOBS("jobs"),
    CLANG_VERSION("clangVersion"),
    TOOLCHAIN_PATH("toolchainPath"),
    CONFIGURE_OPTIONS("configureOptions"),
    GIT_URL("gitUrl"),
    GIT_REF("gitRef"),
    IMAGE("image"),
    IMAGE_TARBALL("tarball"),
    SYSROOT_DIRECTORY("sysrootDirectory"),
    UPLOAD_ENDPOINT("endpoint"),
    FORCE("force"),
    MODULES_INDEX("modulesIndex");

    private final String key;

    BuildSetting(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }
}
