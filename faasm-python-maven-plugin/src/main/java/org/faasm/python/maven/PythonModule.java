package org.faasm.python.maven;

import java.io.File;
import java.util.List;
import java.util.Map;

/**
 * One {@code <pythonModule>} of the module set (see {@code build-modules}). Give exactly one source:
 * {@code directory}, {@code archive} (a local file), {@code fileName} (found in the source cache or
 * downloaded from {@code urls}), {@code artifact} (Maven coordinates) or {@code requirement} (pip).
 */
public class PythonModule {
    /** The module's name, as users select it with {@code -Dfaasm.modules}. */
    String name;
    /** Its upstream version, for listings. */
    String version;
    /** One line on what it is. */
    String description;
    /** True for the experimental set: built only when named or with {@code -Dfaasm.modules.experimental}. */
    boolean experimental;
    /** A local project directory with setup.py. */
    File directory;
    /** A local sdist (.tar.gz/.tar.bz2/.tar.xz), wheel (.whl) or Debian package (.deb); checked against {@code sha256}. */
    File archive;
    /** The archive's file name, looked up by {@code sha256} in the source cache or downloaded from {@code urls}. */
    String fileName;
    /** The archive's sha256 pin (required for archive sources; optional for an artifact, which Maven verifies). */
    String sha256;
    /** Where to download the archive from (online builds). */
    List<String> urls;
    /** The Debian package that carries the very same archive (named in help messages). */
    String debianSource;
    /** Maven coordinates groupId:artifactId:version[:extension[:classifier]] of the archive. */
    String artifact;
    /** A pip requirement (name==version), downloaded as an sdist from {@code index}. */
    String requirement;
    /** The package index for {@code requirement} (default: the build's {@code faasm.modules.index}, else pip's default). */
    String index;
    /** Extra environment variables for the package's setup.py. */
    Map<String, String> environment;
    /**
     * PEP 517 config settings for a project built by its {@code pyproject.toml} backend: a value of
     * several words is passed as a list (meson-python's {@code setup-args}, e.g.
     * {@code <setup-args>-Dblas=none -Dlapack=none</setup-args>}).
     */
    Map<String, String> configSettings;
    /** Patches applied with {@code patch -p1} to the extracted sources. */
    List<File> patches;
    /**
     * Other archives of the very same release, any one of which is accepted as the source (each
     * with its own {@code fileName}, {@code sha256}, {@code urls}, {@code debianSource}).
     */
    List<ModuleArchive> alsoAccepted;
    /**
     * Packages the module's setup.py needs on the build python, never installed into the sysroot:
     * each a {@code name}, {@code version} and a pinned Debian binary package ({@code .deb}) or wheel.
     */
    List<ModuleArchive> buildRequirements;
    /**
     * C libraries the module's C extension links, each cross-built once from its pinned source
     * ({@code <cLibrary>}): the build finds their headers and static libraries, and the extension's
     * archive takes their objects in.
     */
    List<CLibrary> cLibraries;
    /**
     * Steps run in the extracted source before the build, each a command of the build python
     * ({@code <step>python -m cython msgpack/_cmsgpack.pyx</step>}): what an sdist carries and the
     * release's git tree lacks.
     */
    List<String> preBuild;
}
