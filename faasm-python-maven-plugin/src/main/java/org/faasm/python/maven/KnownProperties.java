package org.faasm.python.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every user property of this plugin. A {@code -Dfaasm.*} property that is not listed here is a typo
 * or a parameter that does not exist, and fails the build instead of being silently ignored.
 */
final class KnownProperties {
    static final String PREFIX = "faasm.";

    static final Set<String> ALL = Set.of(
            "faasm.skip",
            "faasm.cacheDirectory",
            "faasm.cpythonPin",
            "faasm.zlibPin",
            "faasm.cpython.archive",
            "faasm.zlib.archive",
            "faasm.cpython.git.url",
            "faasm.cpython.git.ref",
            "faasm.toolchain.path",
            "faasm.toolchain.clangVersion",
            "faasm.configure.options",
            "faasm.cflags",
            "faasm.jobs",
            "faasm.outputDirectory",
            "faasm.entrypointSources",
            "faasm.entrypoint",
            "faasm.sysrootDirectory",
            "faasm.aot",
            "faasm.function",
            "faasm.input",
            "faasm.inputFile",
            "faasm.entry",
            "faasm.user",
            "faasm.outputFile",
            "faasm.confFlags",
            "faasm.timeout",
            "faasm.memory",
            "faasm.chainDepth",
            "faasm.chainFanOut",
            "faasm.maxInputBytes",
            "faasm.maxOutputBytes",
            "faasm.tmpSize",
            "faasm.maxOpenFiles",
            "faasm.stateSize",
            "faasm.totalMemory",
            "faasm.state",
            "faasm.functions",
            "faasm.port",
            "faasm.uploadPort",
            "faasm.bind",
            "faasm.workers",
            "faasm.serveFor",
            "faasm.serveDirectory",
            "faasm.preload",
            "faasm.engine",
            "faasm.pythonSources",
            "faasm.bump",
            "faasm.force",
            "faasm.upload.endpoint",
            "faasm.upload.entrypoint",
            "faasm.image",
            "faasm.image.base",
            "faasm.image.insecure",
            "faasm.image.tarball",
            "faasm.image.skip",
            "faasm.modules",
            "faasm.modules.experimental",
            "faasm.modules.index",
            "faasm.modules.directory",
            "faasm.precompile",
            "faasm.cache.remote",
            "faasm.cache.push");

    private KnownProperties() {}

    /** The unknown {@code faasm.*} names among these properties, each with a suggestion when one is close. */
    static List<String> unknown(Properties userProperties) {
        List<String> out = new ArrayList<>();
        for (String name : new TreeSet<>(userProperties.stringPropertyNames())) {
            if (name.startsWith(PREFIX) && !ALL.contains(name)) {
                String best = closest(name);
                out.add("-D" + name + (best != null ? " (did you mean -D" + best + "?)" : ""));
            }
        }
        return out;
    }

    static String closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : new TreeSet<>(ALL)) {
            int d = distance(name.toLowerCase(), known.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return bestDistance <= Math.max(3, name.length() / 4) ? best : null;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
