import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.faasm.python.host.wasi.WasiRunner;

/**
 * CPython's regression tests on the local host's WASI layer, one test module per guest run (a fresh
 * instance and a fresh writable /tmp each, as CPython's buildbot runs each module in a worker process).
 * The guest sees only: / (the staged root: usr/local is the python root with the test sources; read-only)
 * and /tmp (a new empty directory, read-write: TMPDIR, where regrtest makes its working directory).
 * <p>
 * Usage: java [-Dfaasm.engine=wasmtime|chicory] -cp <faasm-host classpath> bench/Conformance.java
 * <python.wasm> <staged root> <log dir> <timeout s> <code cache dir> <regrtest option>... -- <test module>...
 * <p>
 * Writes {@code <log dir>/<module>.log} (the guest's stdout and stderr) and prints one line per module:
 * {@code <module> <exit code> <seconds>} (exit code 124: stopped at the timeout; -1: the host failed, see the log).
 */
public class Conformance {
    public static void main(String[] args) throws Exception {
        Path wasm = Path.of(args[0]);
        Path root = Path.of(args[1]);
        Path logs = Path.of(args[2]);
        Duration timeout = Duration.ofSeconds(Long.parseLong(args[3]));
        Path cache = Path.of(args[4]);
        List<String> options = new ArrayList<>();
        int i = 5;
        for (; i < args.length && !args[i].equals("--"); i++) {
            options.add(args[i]);
        }
        String engine = System.getProperty("faasm.engine", "wasmtime");
        Files.createDirectories(logs);
        for (i++; i < args.length; i++) {
            String module = args[i];
            Path tmp = Files.createTempDirectory("faasm-conformance-");
            long t0 = System.nanoTime();
            int code;
            try (OutputStream log = new FileOutputStream(logs.resolve(module + ".log").toFile())) {
                List<String> argv = new ArrayList<>(List.of("python", "-m", "test"));
                argv.addAll(options);
                argv.add(module);
                try {
                    code = new WasiRunner(wasm).engine(engine).compilerCache(cache).timeout(timeout)
                            .args(argv)
                            .env("PYTHONHOME", "/usr/local")
                            .env("TMPDIR", "/tmp")
                            .env("HOME", "/tmp")
                            .env("LANG", "C.UTF-8")
                            .mount("/", root)
                            .mountWritable("/tmp", tmp)
                            .stdout(log).stderr(log)
                            .run().exitCode();
                } catch (Throwable e) {
                    // a trap (e.g. wasm stack exhausted) or a host failure: the module failed, the run goes on
                    log.write(("\n[conformance] the guest ended with " + e + "\n").getBytes());
                    code = -1;
                }
            } finally {
                delete(tmp);
            }
            System.out.printf("%s %d %.1f%n", module, code, (System.nanoTime() - t0) / 1e9);
            System.out.flush();
        }
        System.exit(0);
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // left behind in the system's temporary directory
        }
    }
}
