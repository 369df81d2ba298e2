package org.faasm.python.core.modules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.faasm.python.core.build.ProcessRunner;
import org.faasm.python.core.util.Commands;
import org.faasm.python.host.FaasmException;

/**
 * A module whose project declares its build in {@code pyproject.toml} alone (PEP 517): the declared
 * backend builds a wheel under the native build python with the cross environment, and the wheel
 * is unpacked like setup.py's install. The backend and its {@code build-system.requires} must be
 * on the build python's path from pinned archives (the module's build requirements, or the
 * builder's own setuptools): nothing is fetched by name.
 */
final class Pep517Build {
    /** The backends this builder can run, with what their wheel needs beyond the cross environment. */
    static final Map<String, String> SUPPORTED = Map.of(
            "setuptools.build_meta", "setuptools (the builder's own, or a pinned build requirement)",
            "setuptools.build_meta:__legacy__", "setuptools (the builder's own, or a pinned build requirement)",
            "mesonpy", "meson-python and what it imports as pinned build requirements, the meson it names, and ninja on PATH");

    /** The backend of meson-python, which gets a meson cross file ({@link MesonCross}). */
    static final String MESONPY = "mesonpy";

    /** What a refused backend would need, for the message. */
    static final Map<String, String> NEEDS = Map.of(
            "maturin", "a Rust compiler for wasm32-wasi and maturin (it builds Rust extensions with cargo)",
            "scikit_build_core.build", "CMake and scikit-build-core with a CMake toolchain file for wasm32-wasi",
            "pdm.backend", "pdm-backend as a pinned build requirement (pure-Python projects only)",
            "hatchling.build", "hatchling as a pinned build requirement (pure-Python projects only)",
            "flit_core.buildapi", "flit-core as a pinned build requirement (pure-Python projects only)",
            "poetry.core.masonry.api", "poetry-core as a pinned build requirement (pure-Python projects only)");

    /** The [build-system] table of a pyproject.toml, as the build python reads it. */
    record BuildSystem(String backend, List<String> requires) {
        /** The distribution names of {@code requires}, lower case, without versions or markers. */
        List<String> requiredNames() {
            List<String> names = new ArrayList<>();
            for (String r : requires) {
                String name = r.split("[\\s<>=!~;\\[(]", 2)[0].trim().toLowerCase(Locale.ROOT).replace('_', '-');
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
            return names;
        }
    }

    private static final String READ = String.join("\n",
            "import sys, tomllib",
            "with open(sys.argv[1], 'rb') as f:",
            "    bs = tomllib.load(f).get('build-system', {})",
            "print('backend=' + bs.get('build-backend', 'setuptools.build_meta:__legacy__'))",
            "for r in bs.get('requires', []):",
            "    print('requires=' + r)");

    /**
     * Calls the backend's build_wheel (PEP 517) in the project directory with the config settings
     * (a JSON object) and prints the wheel's name.
     */
    static final String BUILD_WHEEL = String.join("\n",
            "import importlib, json, sys",
            "name, out, settings = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])",
            "module, _, attrs = name.partition(':')",
            "if module.startswith('setuptools'):",
            "    " + ModuleBuilder.DEBIAN_LAYOUT,
            "backend = importlib.import_module(module)",
            "for a in filter(None, attrs.split('.')):",
            "    backend = getattr(backend, a)",
            "print('faasm-python wheel: ' + backend.build_wheel(out, settings or None))");

    private Pep517Build() {}

    /** Reads the [build-system] table with the build python's own TOML reader. */
    static BuildSystem read(Path nativePython, Path pyproject) {
        try {
            Commands.Output out = Commands.run(List.of(nativePython.toString(), "-I", "-c", READ, pyproject.toString()));
            if (out.exitCode() != 0) {
                throw new FaasmException("Cannot read the [build-system] table of " + pyproject + ": " + out.text().strip(),
                        pyproject.toString(), "fix the TOML of pyproject.toml");
            }
            return parse(out.text());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + nativePython, e);
        }
    }

    static BuildSystem parse(String lines) {
        String backend = null;
        List<String> requires = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (line.startsWith("backend=")) {
                backend = line.substring("backend=".length()).trim();
            } else if (line.startsWith("requires=")) {
                requires.add(line.substring("requires=".length()).trim());
            }
        }
        return new BuildSystem(backend, requires);
    }

    /**
     * Fails unless this builder runs the backend and every requirement is provided.
     *
     * @param provided names of the packages on the build python's path (the build requirements)
     */
    static void check(ModuleSpec s, BuildSystem bs, List<String> provided) {
        if (!SUPPORTED.containsKey(bs.backend())) {
            String module = bs.backend().split(":", 2)[0];
            String needs = NEEDS.getOrDefault(module, "a build of its own for wasm32-wasi");
            throw new FaasmException("Module " + s.name() + " is built by the PEP 517 backend '" + bs.backend()
                    + "' (pyproject.toml [build-system]), which this builder does not run; it would need " + needs, s.where(),
                    "use a backend it runs (" + String.join(", ", SUPPORTED.keySet().stream().sorted().toList())
                    + "), a setup.py (<patches>), or leave the module out");
        }
        List<String> missing = new ArrayList<>();
        for (String name : bs.requiredNames()) {
            // setuptools' bdist_wheel is its own since 70.1: 'wheel' needs no package
            if (!provided.contains(name) && !name.equals("wheel")) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new FaasmException("Module " + s.name() + " needs " + String.join(", ", missing)
                    + " to build (pyproject.toml [build-system] requires " + bs.requires() + "), and no pinned archive provides it",
                    s.where(), "add a <buildRequirement> for each (a Debian python3-<name> package or a wheel, pinned by sha256)");
        }
    }

    /**
     * The module's {@code <configSettings>} as PEP 517 config settings: a value of several words
     * (split at white space) is a list, as meson-python's {@code setup-args} are.
     */
    static Map<String, Object> settings(Map<String, String> configured) {
        Map<String, Object> out = new LinkedHashMap<>();
        new java.util.TreeMap<>(configured).forEach((k, v) -> {
            List<String> words = List.of(v.trim().split("\\s+"));
            out.put(k, words.size() == 1 ? words.get(0) : words);
        });
        return out;
    }

    /**
     * meson-python's settings: the cross file first in {@code setup-args}, then the module's own;
     * a build directory of a fixed name (its path reaches the objects, which are made the same in
     * any checkout); as many compile jobs as processors.
     */
    static Map<String, Object> mesonSettings(Map<String, String> configured, Path crossFile, Path buildDir) {
        Map<String, Object> out = settings(configured);
        List<String> setup = new ArrayList<>(List.of("--cross-file=" + crossFile));
        Object own = out.remove("setup-args");
        if (own instanceof String one) {
            setup.add(one);
        } else if (own instanceof List<?> many) {
            many.forEach(a -> setup.add(a.toString()));
        }
        out.put("setup-args", setup);
        out.putIfAbsent("build-dir", buildDir.toString());
        out.putIfAbsent("compile-args", List.of("-j" + Runtime.getRuntime().availableProcessors()));
        return out;
    }

    /**
     * The environment of a meson-python build: the build requirements on the path, and none of
     * the setuptools cross variables (meson takes its compilers and the target's sysconfig from
     * the cross file; the build python itself must stay native to run meson). The wheel is tagged
     * for wasi-wasm32.
     */
    static Map<String, String> mesonEnvironment(Map<String, String> cross, String requirementPath) {
        Map<String, String> env = new LinkedHashMap<>(cross);
        for (String k : List.of("CC", "CXX", "CFLAGS", "CXXFLAGS", "LDSHARED", "AR", "_PYTHON_SYSCONFIGDATA_NAME", "LDFLAGS", "CPPFLAGS")) {
            env.put(k, null);
        }
        env.put("PYTHONPATH", requirementPath);
        return env;
    }

    /** Fails when ninja, which meson-python runs, is not installed. */
    static void checkNinja(ModuleSpec s, Map<String, String> env) {
        String path = env.getOrDefault("PATH", System.getenv("PATH"));
        if (System.getenv("NINJA") != null || path == null) {
            return;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "ninja"))) {
                return;
            }
        }
        throw new FaasmException("Module " + s.name() + " is built by meson-python, which runs ninja, and ninja is not on PATH", s.where(),
                "install it (Debian/Ubuntu: apt-get install ninja-build) or set NINJA to its path");
    }

    /** A JSON text of strings, lists of strings and maps of them. */
    static String json(Object value) {
        if (value instanceof Map<?, ?> m) {
            List<String> entries = new ArrayList<>();
            m.forEach((k, v) -> entries.add(json(k) + ": " + json(v)));
            return "{" + String.join(", ", entries) + "}";
        }
        if (value instanceof List<?> l) {
            return "[" + String.join(", ", l.stream().map(Pep517Build::json).toList()) + "]";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : value.toString().toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Builds the wheel into {@code dist} and returns it.
     *
     * @param env the cross environment with the build requirements on PYTHONPATH
     */
    static Path buildWheel(ModuleSpec s, BuildSystem bs, Path nativePython, Path src, Path dist, Map<String, String> env,
            Map<String, Object> settings, ProcessRunner runner, Path logFile) {
        try {
            Files.createDirectories(dist);
            Map<String, String> e = new LinkedHashMap<>(env);
            runner.run("module " + s.name() + ": PEP 517 build_wheel (" + bs.backend() + ", cross wasm32-wasi)",
                    List.of(nativePython.toString(), "-c", BUILD_WHEEL, bs.backend(), dist.toString(), json(settings)), src, e, logFile);
            try (Stream<Path> files = Files.list(dist)) {
                List<Path> wheels = files.filter(p -> p.getFileName().toString().endsWith(".whl")).toList();
                if (wheels.size() != 1) {
                    throw new FaasmException("The backend " + bs.backend() + " of module " + s.name() + " made " + wheels.size()
                            + " wheels, expected one: " + wheels, logFile.toString(), "read the log");
                }
                return wheels.get(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the wheel of module " + s.name(), e);
        }
    }
}
