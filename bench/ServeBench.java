import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.run.HostOptions;
import org.faasm.python.host.serve.LocalFaasm;
import org.faasm.python.host.util.UserCache;

/**
 * The local Faasm server for bench/serve.sh: 2 workers, any free ports (written to the ini file).
 * Usage: java [-Dfaasm.engine=...] -cp <faasm-host classpath> bench/ServeBench.java <sysroot> <functions dir> <work dir> <seconds>
 */
public class ServeBench {
    public static void main(String[] args) throws Exception {
        Path sysroot = Path.of(args[0]);
        Path work = Path.of(args[2]);
        Path cache = UserCache.root(null, System.getenv(), System.getProperty("user.home"));
        HostOptions host = new HostOptions(sysroot.resolve("wasm/python/py_func/function.wasm"), sysroot.resolve("runtime_root"), null,
                "python", null, Set.of(), System.out, System.err, cache.resolve("code"), cache.resolve("zygote"), HostLimits.DEFAULTS, null,
                List.of(), null, System.getProperty("faasm.engine", "auto"));
        try (LocalFaasm faasm = new LocalFaasm(new LocalFaasm.Options(host, "127.0.0.1", 0, 0, work.resolve("uploads"), Path.of(args[1]), 2,
                Duration.ofSeconds(5), work.resolve("faasm.ini")))) {
            Thread stop = new Thread(faasm::close); // bench/serve.sh stops it with SIGTERM
            Runtime.getRuntime().addShutdownHook(stop);
            faasm.serve(Duration.ofSeconds(Long.parseLong(args[3])));
            Runtime.getRuntime().removeShutdownHook(stop);
        }
    }
}
