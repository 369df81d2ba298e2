package org.faasm.python.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.project.MavenProject;
import org.faasm.python.core.modules.ModuleBundle;
import org.faasm.python.core.sources.ArchiveExtractor;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Log;

/** The project's {@code faasm-modules} dependencies, unpacked under the work directory. */
final class ModuleDependencies {
    private ModuleDependencies() {}

    static boolean isModules(Artifact a) {
        return "faasm-modules".equals(a.getType());
    }

    static List<ModuleBundle> unpack(MavenProject project, Path workDir, Log log) {
        List<ModuleBundle> out = new ArrayList<>();
        for (Artifact a : project.getArtifacts()) {
            if (!isModules(a)) {
                continue;
            }
            if (a.getFile() == null || !a.getFile().isFile()) {
                throw new FaasmException("The modules dependency " + a + " has no packaged archive", project.getFile().toString(),
                        "build it to the package phase first (mvn install from the reactor root)");
            }
            Path dir = workDir.resolve("modules").resolve(a.getArtifactId());
            ArchiveExtractor.extractOnce(a.getFile().toPath(), dir, staging -> { }, log);
            out.add(new ModuleBundle(dir));
        }
        return out;
    }

    /** Every C extension of the bundles, by dotted module name; a name in two bundles is an error. */
    static Map<String, Path> extensions(List<ModuleBundle> bundles) {
        Map<String, Path> all = new TreeMap<>();
        for (ModuleBundle b : bundles) {
            b.extensions().forEach((name, archive) -> {
                if (all.put(name, archive) != null) {
                    throw new FaasmException("The C extension " + name + " comes from two modules dependencies", b.root().toString(),
                            "depend on one of them");
                }
            });
        }
        return all;
    }

    /** The init function of every C extension of the bundles, by dotted module name. */
    static Map<String, String> initFunctions(List<ModuleBundle> bundles) {
        Map<String, String> all = new TreeMap<>();
        bundles.forEach(b -> all.putAll(b.initFunctions()));
        return all;
    }
}
