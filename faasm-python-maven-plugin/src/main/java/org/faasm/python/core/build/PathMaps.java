package org.faasm.python.core.build;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.faasm.python.core.toolchain.Toolchain;

/**
 * What makes compiled code independent of the machine that built it: fixed names for the
 * build-machine directories it would otherwise remember ({@code __FILE__} in assertions, debug
 * information), given with {@code -ffile-prefix-map}, and a fixed build time. The same sources then
 * give the same bytes in any checkout and any cache directory.
 */
public final class PathMaps {
    public static final String CPYTHON_SOURCE = "/faasm/src/cpython";
    public static final String CPYTHON_BUILD = "/faasm/build/cpython";
    public static final String ZLIB_SOURCE = "/faasm/src/zlib";
    public static final String ZLIB_PREFIX = "/faasm/zlib";
    public static final String NATIVE_PYTHON = "/faasm/native-python";
    public static final String PYTHON = "/faasm/python";
    public static final String ENTRYPOINT_SOURCES = "/faasm/src/entrypoint";
    public static final String BUILD = "/faasm/build";
    public static final String MODULE = "/faasm/src/module";
    public static final String WASI_SYSROOT = "/faasm/wasi-sysroot";
    /**
     * {@code SOURCE_DATE_EPOCH} for every compile: {@code __DATE__} and {@code __TIME__} (in
     * {@code sys.version}) are a fixed time, so two builds give the same bytes.
     */
    public static final String SOURCE_DATE_EPOCH = "0";

    private PathMaps() {}

    /** Pairs of (directory, fixed name); a later pair for the same directory replaces an earlier one. */
    public static Map<Path, String> of(Object... pairs) {
        Map<Path, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(((Path) pairs[i]).toAbsolutePath().normalize(), (String) pairs[i + 1]);
        }
        return m;
    }

    /** {@code -ffile-prefix-map} flags for these directories and the toolchain's sysroot, in {@link #ordered} order. */
    public static List<String> flags(Map<Path, String> maps, Toolchain toolchain) {
        Map<Path, String> all = new LinkedHashMap<>(maps);
        all.putIfAbsent(toolchain.sysroot().toAbsolutePath().normalize(), WASI_SYSROOT);
        List<String> out = new ArrayList<>();
        for (Map.Entry<Path, String> e : ordered(all)) {
            out.add("-ffile-prefix-map=" + e.getKey() + "=" + e.getValue());
        }
        return out;
    }

    /** The flags as one string for CFLAGS. */
    public static String cflags(Map<Path, String> maps, Toolchain toolchain) {
        return String.join(" ", flags(maps, toolchain));
    }

    /**
     * The pairs in an order that does not depend on where the directories are: by fixed name, except
     * that a directory whose path begins with another's (one inside it, or /a/bc beside /a/b) comes
     * first, so that it is replaced first. (Ordered by length, as before, the flags came in another
     * order on another machine, and builds record their flags: the sysconfig data, the config
     * Makefile, NumPy's {@code __config__.py}.)
     */
    public static List<Map.Entry<Path, String>> ordered(Map<Path, String> maps) {
        List<Map.Entry<Path, String>> left = new ArrayList<>(maps.entrySet());
        left.sort(Map.Entry.<Path, String>comparingByValue().thenComparing(e -> e.getKey().toString()));
        List<Map.Entry<Path, String>> out = new ArrayList<>();
        while (!left.isEmpty()) {
            // the first by name that no other directory left begins with (as text: /a/bc before /a/b too)
            Map.Entry<Path, String> next = left.stream()
                    .filter(e -> left.stream().noneMatch(o -> o != e && o.getKey().toString().startsWith(e.getKey().toString())))
                    .findFirst().orElseThrow();
            out.add(next);
            left.remove(next);
        }
        return out;
    }

    /** Replaces every mapped directory in {@code text} by its fixed name (for Makefiles and other text). */
    public static String apply(String text, Map<Path, String> maps) {
        String out = text;
        for (Map.Entry<Path, String> e : ordered(maps)) {
            out = out.replace(e.getKey().toString(), e.getValue());
        }
        return out;
    }
}
