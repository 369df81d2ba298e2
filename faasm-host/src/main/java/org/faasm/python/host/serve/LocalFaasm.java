package org.faasm.python.host.serve;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.HostSetting;
import org.faasm.python.host.run.FaasmHost;
import org.faasm.python.host.run.HostOptions;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Log;

/**
 * A local Faasm that stays up: one {@link FaasmHost} (one zygote for every function) behind Faasm's
 * planner API ({@link PlannerApi}) and upload API ({@link UploadApi}) on loopback, with its
 * functions in a {@link FunctionStore}. At most {@code workers} calls run at once, each within the
 * host's limits; a call that fails (a trap, a timeout, memory) fails alone. It writes a
 * {@code faasm.ini} in Faasm's client format, so Faasm's own clients (faasmctl) find it.
 */
public final class LocalFaasm implements AutoCloseable {
    /**
     * How to serve.
     *
     * @param host the host's options (its function directory unused: functions come from the store)
     * @param bind the address to listen on (loopback unless told otherwise)
     * @param plannerPort the planner's port (Faasm's 8080; 0 for any free port)
     * @param uploadPort the upload server's port (Faasm's 8002; 0 for any free port)
     * @param uploads where uploaded functions are kept ({@code <user>/<function>/function.py})
     * @param functions a directory of the default user's functions, one folder per function, or null
     * @param workers how many calls run at once
     * @param answerWithin how long EXECUTE_BATCH waits for its calls before it answers with the app id only
     * @param iniFile where to write faasm.ini, or null
     */
    public record Options(HostOptions host, String bind, int plannerPort, int uploadPort, Path uploads, Path functions, int workers,
            Duration answerWithin, Path iniFile) {}

    private final Options options;
    private final Log log;
    private final FaasmHost host;
    private final FunctionStore store;
    private final ExecutorService workers;
    private final ExecutorService http;
    private final HttpServer planner;
    private final HttpServer upload;
    private final AtomicInteger busy = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Starts the host (its zygote), then both servers. */
    public LocalFaasm(Options options) {
        this.options = options;
        this.log = options.host().log() == null ? Log.NONE : options.host().log();
        if (options.workers() < 1) {
            throw new FaasmException("workers is " + options.workers() + ": at least one call must be able to run", HostSetting.WORKERS,
                    "give 1 or more (the default is the number of cores)");
        }
        this.host = new FaasmHost(options.host());
        FaasmHost started = host;
        try {
            host.start();
            this.store = new FunctionStore(host, options.uploads(), options.functions(), options.host().user(), log);
            this.workers = Executors.newFixedThreadPool(options.workers(), daemon("faasm-worker"));
            this.http = Executors.newFixedThreadPool(Math.max(8, 2 * options.workers()), daemon("faasm-http"));
            InetAddress address = InetAddress.getByName(options.bind());
            PlannerApi plannerApi = new PlannerApi(new Workers(), options.bind(), options.answerWithin().toMillis(), log);
            UploadApi uploadApi = new UploadApi(store, host.globalState());
            this.planner = server(address, options.plannerPort(), "planner", "Planner endpoint", exchange -> {
                PlannerApi.Answer a = plannerApi.handle(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                return new UploadApi.Answer(a.status(), a.body().getBytes(StandardCharsets.UTF_8));
            });
            this.upload = server(address, options.uploadPort(), "upload", "Upload Server",
                    exchange -> uploadApi.handle(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                            exchange.getRequestBody().readAllBytes()));
            planner.start();
            upload.start();
        } catch (IOException e) {
            started.close();
            throw new UncheckedIOException("cannot start the local Faasm on " + options.bind() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        if (options.iniFile() != null) {
            AtomicFiles.writeString(options.iniFile(), ini());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private interface Handler {
        UploadApi.Answer handle(HttpExchange exchange) throws IOException;
    }

    private HttpServer server(InetAddress address, int port, String what, String serverName, Handler handler) throws IOException {
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(address, port), 64);
        } catch (java.net.BindException e) {
            throw new FaasmException("The " + what + " port " + port + " on " + address.getHostAddress() + " is taken: " + e.getMessage(),
                    what.equals("planner") ? HostSetting.PORT : HostSetting.UPLOAD_PORT, "stop what listens there, or choose another port (0: any free port)");
        }
        s.setExecutor(http);
        s.createContext("/", exchange -> {
            try (exchange) {
                UploadApi.Answer a;
                try {
                    a = handler.handle(exchange);
                } catch (RuntimeException e) {
                    log.warn("The " + what + " server failed on " + exchange.getRequestURI() + ": " + e);
                    a = UploadApi.Answer.text(500, "Internal error: " + e.getMessage());
                }
                exchange.getResponseHeaders().set("Server", serverName);
                exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
                exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "GET,POST,PUT,OPTIONS");
                exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "User-Agent,Content-Type");
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
                if (a.body().length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(a.body());
                    }
                }
            }
        });
        return s;
    }

    /** The planner's port (the one bound, when 0 was asked). */
    public int plannerPort() {
        return planner.getAddress().getPort();
    }

    public int uploadPort() {
        return upload.getAddress().getPort();
    }

    public FaasmHost host() {
        return host;
    }

    /** {@code faasm.ini} in Faasm's client format ({@code FAASM_INI_FILE} for faasmctl). */
    public String ini() {
        String h = options.bind().equals("0.0.0.0") ? "127.0.0.1" : options.bind();
        return "[Faasm]\n"
                + "backend = compose\n"
                + "upload_host = " + h + "\n"
                + "upload_port = " + uploadPort() + "\n"
                + "planner_host = " + h + "\n"
                + "planner_port = " + plannerPort() + "\n";
    }

    /** Blocks until {@link #close()}, or for at most {@code duration} (null: until closed). */
    public void serve(Duration duration) throws InterruptedException {
        if (duration == null) {
            stopped.await();
        } else {
            stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs the planner's messages on the workers. */
    private final class Workers implements PlannerApi.Dispatcher {
        @Override
        public void dispatch(JsonObject message, Consumer<JsonObject> done) {
            workers.execute(() -> {
                busy.incrementAndGet();
                try {
                    done.accept(run(message));
                } catch (RuntimeException e) {
                    log.warn("A call failed in the host: " + e);
                    done.accept(result(message, FaasmHost.FAILED, "The local Faasm failed to run the call: " + e));
                } finally {
                    busy.decrementAndGet();
                }
            });
        }

        @Override
        public int busy() {
            return busy.get();
        }

        @Override
        public int slots() {
            return options.workers();
        }
    }

    private JsonObject result(JsonObject message, int returnValue, String output) {
        return Protobuf.with(message, Protobuf.MESSAGE, java.util.Map.of("output_data", new JsonPrimitive(output),
                "returnValue", new JsonPrimitive(returnValue), "executedHost", new JsonPrimitive(options.bind()),
                "finish_ts", new JsonPrimitive(Long.toString(System.currentTimeMillis()))));
    }

    /** One message: a Python call of py_user/py_func, the result message with its output, return value and times. */
    JsonObject run(JsonObject message) {
        long t0 = System.nanoTime();
        if (!message.has("python")) {
            return result(message, FaasmHost.FAILED, "The local Faasm runs Python functions only: call the wasm function python/py_func with"
                    + " \"python\": true, \"py_user\" and \"py_func\" naming the Python function");
        }
        String user = Protobuf.text(message, "py_user");
        String function = Protobuf.text(message, "py_func");
        String entry = Protobuf.text(message, "pythonEntry");
        String name = user + "/" + function;
        FaasmHost.CallResult r;
        ByteArrayOutputStream callLog = new ByteArrayOutputStream();
        try (FunctionStore.Lease lease = store.acquire(user, function)) {
            if (lease == null) {
                log.info(name + ": no such function");
                return result(message, FaasmHost.FAILED, "No Python function " + name + ": upload it with PUT /p/" + name
                        + " on the upload port" + (options.functions() == null ? "" : ", or put " + function + "/function.py in "
                        + options.functions() + " (user " + options.host().user() + ")"));
            }
            r = host.call(user, function, entry, Protobuf.bytes(message, "input_data"), callLog);
        } catch (FaasmException e) {
            return result(message, FaasmHost.FAILED, e.getMessage() + (e.hint() == null ? "" : "; " + e.hint()));
        }
        String output = new String(r.output(), StandardCharsets.UTF_8);
        if (r.returnCode() != 0 || r.failure() != null) {
            // what a developer needs to see of a failed call: its output, then what it printed (the traceback) and why it failed
            output = output + (output.isEmpty() ? "" : "\n") + callLog.toString(StandardCharsets.UTF_8);
        }
        log.info(String.format("%s (%s) -> %d in %.1f ms", name, entry.isEmpty() ? "faasm_main" : entry, r.returnCode(),
                (System.nanoTime() - t0) / 1e6));
        return result(message, r.returnCode(), output);
    }

    /** Stops both servers (letting running requests answer), the workers and the host. */
    @Override
    public void close() {
        upload.stop(0);
        planner.stop(0);
        workers.shutdownNow();
        http.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        host.close();
        stopped.countDown();
    }
}
