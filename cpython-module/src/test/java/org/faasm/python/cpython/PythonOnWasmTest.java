package org.faasm.python.cpython;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.faasm.python.host.util.UserCache;
import org.faasm.python.host.wasi.WasiRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the python.wasm this module built on a real WebAssembly runtime (Endive, pure JVM), with the installed
 * standard library mounted at the guest's /usr/local, and checks what a user would: the version,
 * the platform and results of C modules computed independently on the JVM.
 */
class PythonOnWasmTest {
    private static final String SCRIPT = String.join("\n",
            "import sys, json, decimal, _decimal, hashlib, zlib",
            "print('version=' + sys.version.split()[0])",
            "print('platform=' + sys.platform)",
            "print('json=' + json.dumps(json.loads('{\"b\": [1, 2.5, null], \"a\": \"x\"}'), sort_keys=True))",
            "print('decimal=' + str(decimal.Decimal(1) / decimal.Decimal(7)))",
            "print('decimal_is_c=' + str(decimal.Decimal is _decimal.Decimal))",
            "print('sha256=' + hashlib.sha256(b'faasm-python').hexdigest())",
            "print('md5=' + hashlib.md5(b'Hello faasm').hexdigest())",
            "data = b'wasm ' * 1000",
            "packed = zlib.compress(data, 9)",
            "print('zlib_roundtrip=' + str(zlib.decompress(packed) == data and len(packed) < len(data)))",
            "print('crc32=' + str(zlib.crc32(b'hello faasm')))",
            "sys.stderr.write('done\\n')",
            "sys.exit(3)");

    private static Path wasmRoot;
    private static Map<String, String> values;
    private static int exitCode;
    private static String stderr;

    @BeforeAll
    static void runPythonOnce() {
        wasmRoot = Path.of(System.getProperty("faasm.wasmRoot", "target/wasm32-wasi"));
        Path pythonWasm = wasmRoot.resolve("bin/python.wasm");
        assertTrue(Files.isRegularFile(pythonWasm), "python.wasm was not built at " + pythonWasm);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        exitCode = new WasiRunner(pythonWasm)
                .args(List.of("python", "-c", SCRIPT))
                .env("PYTHONHOME", "/usr/local")
                .env("PYTHONDONTWRITEBYTECODE", "1")
                .mount("/usr/local", wasmRoot)
                .compilerCache(UserCache.root(null, System.getenv(), System.getProperty("user.home")).resolve("chicory"))
                .stdout(out)
                .stderr(err)
                .run()
                .exitCode();
        stderr = err.toString(StandardCharsets.UTF_8);
        values = new LinkedHashMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
    }

    @Test
    void reportsTheExitCodeAndStderrOfTheScript() {
        assertEquals(3, exitCode, "stderr: " + stderr);
        assertEquals("done\n", stderr);
    }

    @Test
    void isThePinnedCPythonOnWasi() {
        assertEquals(Pinned.VERSION, values.get("version"));
        assertEquals("wasi", values.get("platform"));
    }

    @Test
    void jsonRoundTrips() {
        assertEquals("{\"a\": \"x\", \"b\": [1, 2.5, null]}", values.get("json"));
    }

    @Test
    void decimalIsTheCModuleAndComputesCorrectly() {
        assertEquals("True", values.get("decimal_is_c"));
        assertEquals(new java.math.BigDecimal(1).divide(new java.math.BigDecimal(7), new java.math.MathContext(28)).toPlainString(),
                values.get("decimal"));
    }

    @Test
    void hashlibMatchesTheJvmDigests() throws Exception {
        assertEquals(hex("SHA-256", "faasm-python"), values.get("sha256"));
        assertEquals(hex("MD5", "Hello faasm"), values.get("md5"));
    }

    @Test
    void zlibCompressesAndMatchesTheJvmCrc32() {
        assertEquals("True", values.get("zlib_roundtrip"));
        CRC32 crc = new CRC32();
        crc.update("hello faasm".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Long.toString(crc.getValue()), values.get("crc32"));
    }

    private static String hex(String algorithm, String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.US_ASCII)));
    }
}
