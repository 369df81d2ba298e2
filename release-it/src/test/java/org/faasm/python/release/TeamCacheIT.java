package org.faasm.python.release;

import static org.faasm.python.release.Checkouts.ROOT;
import static org.faasm.python.release.Checkouts.count;
import static org.faasm.python.release.Checkouts.mvn;
import static org.faasm.python.release.Checkouts.tail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.faasm.python.core.archive.DeterministicTar;
import org.faasm.python.core.sources.ArchiveExtractor;
import org.faasm.python.host.util.FileTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The team build cache on a real HTTP Maven repository (nginx WebDAV on loopback): the reactor's
 * build pushes its finished builds; a fresh checkout with an empty cache takes them instead of
 * compiling and produces byte-identical artifacts; a corrupt entry, an unreachable repository and a
 * repository that refuses uploads are warnings and a local build; a malformed push value fails
 * before any work.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamCacheIT {
    private static final String KINDS_DIR = "cache/org/faasm/python/cache";

    @TempDir
    static Path tmp;

    private static LoopbackRepository repository;
    private static Path clone;
    private static Path cache;
    private static Path settings;

    @BeforeAll
    static void start() throws Exception {
        repository = LoopbackRepository.start(tmp.resolve("repository"));
        clone = Checkouts.copy(tmp.resolve("fresh-clone"));
        cache = Checkouts.cacheWithSources(tmp.resolve("empty-cache"));
        settings = settings("team", repository.base() + "/cache");
    }

    @AfterAll
    static void stop() {
        if (repository != null) {
            repository.close();
        }
    }

    /** A settings.xml whose active profile adds the team repository to every build, as a team would set it up. */
    private static Path settings(String id, String url) throws Exception {
        return Files.writeString(tmp.resolve("settings-" + id + ".xml"), "<settings><profiles><profile><id>team-cache</id>"
                + "<activation><activeByDefault>true</activeByDefault></activation><repositories><repository><id>" + id + "</id><url>"
                + url + "</url><releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots></repository>"
                + "</repositories></profile></profiles></settings>");
    }

    private static List<String> kinds() throws Exception {
        Path dir = repository.www().resolve(KINDS_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @Order(1)
    void aFreshCloneWithAnEmptyCacheTakesEveryBuildFromTheTeamCacheAndGivesTheSameBytes() throws Exception {
        Path push = tmp.resolve("push.log");
        assertEquals(0, mvn(ROOT, push, "package", "-DskipTests", "-pl", Checkouts.RELEASE_MODULES,
                "-Dfaasm.cache.push=team::" + repository.base() + "/cache"), tail(push));
        assertEquals(List.of("cpython-wasm", "entrypoint", "jvm-bytecode", "modules", "native-python", "wasi-libc", "wasmtime-code"), kinds(),
                "every expensive build is pushed, the entrypoint's compiled code for both engines included");

        Path pull = tmp.resolve("pull.log");
        long t0 = System.nanoTime();
        assertEquals(0, mvn(clone, pull, "-s", settings.toString(), "package", "-DskipTests", "-pl", Checkouts.RELEASE_MODULES,
                "-Dfaasm.cacheDirectory=" + cache), tail(pull));
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        String text = Files.readString(pull);
        assertEquals(7, count(text, "taken from the team cache"), tail(pull));
        for (String step : List.of("wasi-libc: make", "native python: configure", "wasm: configure", "zlib: configure", "entrypoint: link",
                "Module six built",
                "Entrypoint translated to JVM bytecode", "Native code for the local host")) {
            assertFalse(text.contains(step), step + " ran although the team cache has its result:\n" + tail(pull));
        }
        for (String output : Checkouts.releaseOutputs()) {
            Checkouts.assertSameBytes(clone, output, "a team-cache clone");
        }
        System.out.println("fresh clone, empty local cache, warm team cache: " + seconds + " s");
    }

    @Test
    @Order(2)
    void aRepositoryThatCannotBeReachedIsAWarningAndALocalBuild() throws Exception {
        int closed = LoopbackRepository.freePort();
        Path log = tmp.resolve("unreachable.log");
        // a module set of its own has a key no one has built: the lookup goes to the repository
        assertEquals(0, mvn(clone, log, "-s", settings("down", "http://127.0.0.1:" + closed + "/cache").toString(), "compile", "-pl",
                "modules-module", "-Dfaasm.cacheDirectory=" + cache, "-Dfaasm.modules=six",
                "-Dfaasm.modules.directory=" + tmp.resolve("six-only")), tail(log));
        String text = Files.readString(log);
        assertTrue(text.contains("[WARNING] Team cache: org.faasm.python.cache:modules:") && text.contains("127.0.0.1:" + closed),
                tail(log));
        assertTrue(text.contains("Module six built"), tail(log));
    }

    @Test
    @Order(3)
    void aCorruptTeamEntryIsAWarningAndALocalBuildAndNeverReachesTheLocalCache() throws Exception {
        Path pushed = tmp.resolve("pyaes-push.log");
        String[] pyaesOnly = {"compile", "-pl", "modules-module", "-Dfaasm.cacheDirectory=" + cache, "-Dfaasm.modules=pyaes",
                "-Dfaasm.modules.directory=" + tmp.resolve("pyaes-only")};
        assertEquals(0, mvn(clone, pushed, concat(pyaesOnly, "-Dfaasm.cache.push=team::" + repository.base() + "/cache")), tail(pushed));
        Path good = onlyEntry(cache.resolve("builds/modules"), "pyaes");
        String key = good.getFileName().toString();
        Path goodCopy = tmp.resolve("good-entry");
        FileTrees.copyTree(good, goodCopy);

        // the repository's copy is changed (its checksums updated too, so only our manifest can tell)
        Path entry = repository.www().resolve(KINDS_DIR + "/modules/" + key + "/modules-" + key + ".tar.gz");
        Path unpacked = tmp.resolve("unpacked");
        ArchiveExtractor.extract(entry, unpacked, false);
        Path aes = FileTrees.listFiles(unpacked).stream().filter(r -> r.endsWith("pyaes/aes.py")).map(unpacked::resolve).findFirst().orElseThrow();
        Files.writeString(aes, "raise SystemExit('tampered')\n");
        new DeterministicTar(0).addTree("", unpacked).write(entry);
        for (String algorithm : List.of("SHA-1", "MD5")) {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(entry)));
            Files.writeString(entry.resolveSibling(entry.getFileName() + (algorithm.equals("MD5") ? ".md5" : ".sha1")), digest);
        }
        FileTrees.deleteRecursively(good);
        FileTrees.deleteRecursively(tmp.resolve("pyaes-only"));

        Path log = tmp.resolve("corrupt.log");
        assertEquals(0, mvn(clone, log, concat(new String[] {"-s", settings.toString()}, pyaesOnly)), tail(log));
        String text = Files.readString(log);
        assertTrue(text.contains("[WARNING] The team cache's entry modules/" + key + " is not used: its files do not match its manifest;"
                + " building locally"), tail(log));
        assertTrue(text.contains("Module pyaes built"), tail(log));
        assertEquals(FileTrees.manifest(goodCopy), FileTrees.manifest(cache.resolve("builds/modules/" + key)),
                "the local cache holds the local build, not the corrupt entry");
    }

    @Test
    @Order(4)
    void aRepositoryThatRefusesThePushIsAWarningAfterTheLocalBuild() throws Exception {
        String[] sixOnly = {"compile", "-pl", "modules-module", "-Dfaasm.cacheDirectory=" + cache, "-Dfaasm.modules=six",
                "-Dfaasm.modules.directory=" + tmp.resolve("six-only")};
        Path log = tmp.resolve("refused.log");
        assertEquals(0, mvn(clone, log, concat(sixOnly, "-Dfaasm.cache.push=frozen::" + repository.base() + "/readonly")), tail(log));
        String text = Files.readString(log);
        assertTrue(text.contains("[WARNING] Team cache: pushing org.faasm.python.cache:") && text.contains("to repository 'frozen'")
                && text.contains("405"), tail(log));

        Path wrong = Files.writeString(tmp.resolve("settings-wrong-password.xml"), "<settings><servers><server><id>secure</id>"
                + "<username>deployer</username><password>wrong-password</password></server></servers></settings>");
        Path denied = tmp.resolve("denied.log");
        assertEquals(0, mvn(clone, denied, concat(new String[] {"-s", wrong.toString()}, concat(sixOnly,
                "-Dfaasm.cache.push=secure::" + repository.base() + "/secure/cache"))), tail(denied));
        String deniedText = Files.readString(denied);
        assertTrue(deniedText.contains("to repository 'secure'") && deniedText.contains("401"), tail(denied));
        assertTrue(Files.notExists(repository.www().resolve("secure")), "nothing was published");
    }

    @Test
    @Order(5)
    void aMalformedPushValueFailsBeforeAnyWork() throws Exception {
        Path log = tmp.resolve("malformed.log");
        assertNotEquals(0, mvn(clone, log, "compile", "-pl", "modules-module", "-Dfaasm.cacheDirectory=" + cache,
                "-Dfaasm.cache.push=team:" + repository.base()), tail(log));
        String text = Files.readString(log);
        assertTrue(text.contains("is neither <repository id>::<url> nor a repository id") || text.contains("is not <repository id>::<url>"),
                tail(log));
        assertTrue(text.contains("-Dfaasm.cache.push"), tail(log));
        assertFalse(text.contains("CPython for wasm32-wasi"), "nothing was built first:\n" + tail(log));
    }

    private static Path onlyEntry(Path kindDir, String module) throws Exception {
        try (Stream<Path> s = Files.list(kindDir)) {
            for (Path p : s.filter(Files::isDirectory).toList()) {
                if (Files.readString(p.resolve(".faasm-key")).contains("input module." + module + ".")
                        && !Files.readString(p.resolve(".faasm-key")).contains("input module.six.")) {
                    return p;
                }
            }
        }
        throw new AssertionError("no modules entry for " + module + " in " + kindDir);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
