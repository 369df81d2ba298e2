import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.faasm.python.host.run.FaasmHost;
import org.faasm.python.host.run.HostOptions;

/**
 * Warm-JVM figures of the local Faasm host: start-up, then per-call time from the zygote snapshot.
 * Usage: java [-Dfaasm.engine=auto|wasmtime|chicory] [-Dbench.warmup=N] -cp <faasm-host classpath> bench/RunBench.java <sysroot dir> <function dir> <calls>
 * [cache dir] [preloaded modules]
 */
public class RunBench {
    public static void main(String[] args) throws Exception {
        Path sysroot = Path.of(args[0]);
        Path function = Path.of(args[1]);
        int calls = Integer.parseInt(args[2]);
        Path cache = Path.of(args.length > 3 && !args[3].isEmpty() ? args[3] : System.getProperty("user.home") + "/.cache/faasm-python");
        java.util.List<String> preload = args.length > 4 && !args[4].isEmpty() ? java.util.List.of(args[4].split(",")) : java.util.List.of();
        String engine = System.getProperty("faasm.engine", "auto");
        OutputStream sink = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        try (FaasmHost host = new FaasmHost(HostOptions.of(sysroot.resolve("wasm/python/py_func/function.wasm"),
                sysroot.resolve("runtime_root"), function, "python", function.getFileName().toString(), Set.of(), sink, System.err,
                cache.resolve("code"), cache.resolve("zygote")).withPreload(preload).withEngine(engine).withLog(org.faasm.python.host.util.Log.STDERR))) {
            long t1 = System.nanoTime();
            host.start();
            long t2 = System.nanoTime();
            // -Dbench.warmup=N: calls made first and not counted (the JVM compiles the host's code meanwhile)
            for (int i = 0; i < Integer.getInteger("bench.warmup", 0); i++) {
                host.call("", new byte[0]);
            }
            long[] ms = new long[calls];
            double[] work = new double[calls];
            java.util.regex.Pattern workMs = java.util.regex.Pattern.compile("work ([0-9.]+) ms");
            String output = "";
            for (int i = 0; i < calls; i++) {
                long s = System.nanoTime();
                FaasmHost.CallResult r = host.call("", new byte[0]);
                ms[i] = System.nanoTime() - s;
                if (r.returnCode() != 0) {
                    throw new IllegalStateException("return code " + r.returnCode());
                }
                output = r.outputText();
                java.util.regex.Matcher m = workMs.matcher(output);
                work[i] = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
            }
            Arrays.sort(work);
            long[] sorted = ms.clone();
            Arrays.sort(sorted);
            System.out.printf("[%s] %s%s: load %d ms, zygote/restore %d ms, first call %.1f ms, median %.1f ms, min %.1f ms (%d calls); output %s%n",
                    engine, function.getFileName(), preload.isEmpty() ? "" : " (preload " + String.join(",", preload) + ")", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, ms[0] / 1e6, sorted[calls / 2] / 1e6,
                    sorted[0] / 1e6, calls, output);
            System.out.printf("%s: restore from the snapshot (memory and globals): median %.2f ms%n", function.getFileName(), host.restoreMillis());
            if (!Double.isNaN(work[0])) {
                System.out.printf("%s: work inside the call: median %.1f ms, min %.1f ms%n", function.getFileName(), work[calls / 2], work[0]);
            }
        }
    }
}
