package org.faasm.python.host.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.faasm.python.host.util.Digests;
import run.endive.compiler.MachineFactoryCompiler;
import run.endive.runtime.Instance;
import run.endive.runtime.Machine;
import run.endive.wasm.Parser;
import run.endive.wasm.WasmModule;

/**
 * Wasm modules parsed and translated to JVM bytecode by Endive's compiler, once per JVM (memoised
 * by module content and cache directory). Bytecode is looked up first beside the wasm, where the
 * package goal ships it ({@link #shippedBytecode}), then in the user's cache, where new translations
 * are written.
 */
public final class CompiledModules {
    /** A parsed module, the factory of its compiled machines, and the sha256 of the wasm file. */
    public record Compiled(WasmModule module, Function<Instance, Machine> machines, String sha256) {}

    private static final Map<String, Compiled> MEMO = new HashMap<>();

    private CompiledModules() {}

    /**
     * @param userCache the user cache for bytecode (per Endive version below it), or null to keep
     *     new bytecode beside the wasm
     */
    public static Compiled get(Path wasm, Path userCache) {
        WasmEngine.WasmBytes read = WasmEngine.WasmBytes.read(wasm);
        byte[] bytes = read.bytes();
        String sha256 = read.sha256();
        String key = sha256 + "|" + userCache;
        synchronized (MEMO) {
            Compiled c = MEMO.get(key);
            if (c == null) {
                Path shipped = shippedBytecode(wasm);
                // bytecode shipped for exactly this module was made from it, validated, at package time
                boolean validate = !CompilerCache.holds(shipped, endiveDigest(bytes));
                WasmModule module = Parser.builder().withValidation(validate).build().parse(() -> new ByteArrayInputStream(bytes));
                Path user = userCache != null ? userCache.resolve(bytecodeVersion()) : shipped;
                c = new Compiled(module, MachineFactoryCompiler.builder(module)
                        .withCache(new CompilerCache(user, validate ? null : shipped)).compile(), sha256);
                MEMO.put(key, c);
            }
            return c;
        }
    }

    /** Where bytecode precompiled at package time is shipped: beside the wasm, per Endive version. */
    public static Path shippedBytecode(Path wasm) {
        return wasm.toAbsolutePath().resolveSibling(bytecodeVersion());
    }

    /** Translates {@code wasm} to JVM bytecode into {@code dir} (nothing to do when it is there already). */
    public static void precompile(Path wasm, Path dir) {
        WasmModule module = Parser.parse(wasm);
        MachineFactoryCompiler.builder(module).withCache(new CompilerCache(dir)).compile();
    }

    /** The digest Endive keys compiled modules by. */
    static String endiveDigest(byte[] wasm) {
        return "sha-256:" + Base64.getEncoder().encodeToString(Digests.sha256().digest(wasm));
    }

    /** The version of Endive's compiler ({@code endive-<version>}), which the bytecode depends on. */
    public static String bytecodeVersion() {
        try (InputStream in = MachineFactoryCompiler.class.getResourceAsStream(
                "/META-INF/maven/run.endive/compiler/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return "endive-" + p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "endive-" + Digests.sha256(String.valueOf(MachineFactoryCompiler.class.getProtectionDomain().getCodeSource().getLocation()));
    }
}
