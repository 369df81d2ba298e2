package org.faasm.python.maven;

import java.io.File;
import java.util.List;

/**
 * A {@code <cLibrary>} of a {@code <pythonModule>}: a C library its extension links (LibYAML for
 * PyYAML), from a pinned source archive, cross-built once for wasm32-wasi by its build system.
 */
public class CLibrary {
    /** The library's name (its build goes to c-libraries/&lt;name&gt; in the module build area). */
    String name;
    /** Its upstream version, for listings. */
    String version;
    /** The source archive's file name, looked up by {@code sha256} in the source cache or downloaded from {@code urls}. */
    String fileName;
    /** The source archive's sha256 pin. */
    String sha256;
    /** Where to download the archive from (online builds). */
    List<String> urls;
    /** The Debian package that carries the very same archive (named in help messages). */
    String debianSource;
    /** Other archives of the very same release accepted in its place (each a fileName, sha256, urls, debianSource). */
    List<ModuleArchive> alsoAccepted;
    /**
     * Its build system: {@code cmake} (the default: configured with a wasm32-wasi toolchain file,
     * built, installed) or {@code make} (its Makefile run with {@code CC}, {@code AR},
     * {@code RANLIB} and {@code HOSTCC} set, then {@code make install PREFIX=...}).
     */
    String buildSystem;
    /**
     * For cmake, arguments of the configure step, e.g. {@code -DINSTALL_CMAKE_DIR=cmake}; for make,
     * arguments of every make run: variables ({@code NOFORTRAN=1}) and the targets to build.
     */
    List<String> options;
    /** Patches applied to the extracted source ({@code patch -p1}), in order. */
    List<File> patches;
}
