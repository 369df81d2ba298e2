package org.faasm.python.core.modules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.faasm.python.core.build.ProcessRunner;
import org.faasm.python.core.util.Commands;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.FileTrees;

/**
 * The init functions of statically linked C extensions. Python names an extension's init function
 * by the last part of its dotted name only, so two packages' {@code _speedups} (Genshi's and
 * simplejson's) both define {@code PyInit__speedups}: linked into one {@code py_func.wasm}, they
 * would clash. The later one's is renamed in its wasm objects to a name of the same length made
 * from its full dotted name, and the inittab registers it under that name.
 */
final class InitFunctions {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private InitFunctions() {}

    /**
     * A name of the same length as {@code original} ({@code PyInit_} and as many characters as the
     * module's last part) made from the dotted module name, and not in {@code taken}.
     */
    static String unique(String module, String original, Set<String> taken) {
        int length = original.length() - "PyInit_".length();
        for (int attempt = 0; attempt < 1000; attempt++) {
            byte[] digest = Digests.sha256().digest((module + "#" + attempt).getBytes(StandardCharsets.UTF_8));
            StringBuilder name = new StringBuilder("PyInit_");
            for (int i = 0; i < length; i++) {
                // a C identifier: the first character a letter
                int alphabet = i == 0 ? 26 : ALPHABET.length();
                name.append(ALPHABET.charAt((digest[i % digest.length] & 0xff) % alphabet));
            }
            if (!taken.contains(name.toString()) && !name.toString().equals(original)) {
                return name.toString();
            }
        }
        throw new IllegalStateException("no free init function name for " + module);
    }

    /**
     * Renames the function {@code from} to {@code to} (of the same length) in every wasm object of
     * the archive: each symbol name is stored with its length in the objects' linking section, and
     * that is what the linker resolves. The archive is written again by the toolchain's ar.
     */
    static void rename(Path archive, String from, String to, Path ar, Path work, ProcessRunner runner, Path logFile) throws IOException {
        if (from.length() != to.length() || from.length() > 127) {
            throw new IllegalArgumentException(from + " -> " + to);
        }
        FileTrees.deleteRecursively(work);
        Files.createDirectories(work);
        Commands.Output listing = Commands.run(List.of(ar.toString(), "t", archive.toString()));
        if (listing.exitCode() != 0) {
            throw new FaasmException("Cannot list " + archive + ": " + listing.text().strip(), archive.toString(), "rebuild the module");
        }
        List<String> members = listing.text().lines().filter(l -> !l.isBlank()).toList();
        if (new HashSet<>(members).size() != members.size()) {
            throw new FaasmException("The C extension archive " + archive.getFileName() + " holds two objects of one name " + members
                    + ", and its init function " + from + " clashes with another extension's", archive.toString(),
                    "leave one of the two packages out of the module set");
        }
        runner.run("rename " + from + " in " + archive.getFileName(), List.of(ar.toString(), "x", archive.toString()), work, Map.of(), logFile);
        byte[] pattern = withLength(from);
        byte[] replacement = withLength(to);
        int renamed = 0;
        for (String m : members) {
            Path object = work.resolve(m);
            byte[] data = Files.readAllBytes(object);
            int n = replaceAll(data, pattern, replacement);
            if (n > 0) {
                Files.write(object, data);
                renamed += n;
            }
        }
        if (renamed == 0) {
            throw new FaasmException("The C extension archive " + archive.getFileName() + " does not define " + from, archive.toString(),
                    "its init function is named otherwise: check the extension's module name in the package's setup.py");
        }
        Path rewritten = work.resolve("renamed.a");
        List<String> cmd = new ArrayList<>(List.of(ar.toString(), "rcs", rewritten.toString()));
        cmd.addAll(members);
        runner.run("archive " + archive.getFileName() + " with " + to, cmd, work, Map.of(), logFile);
        Files.move(rewritten, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        FileTrees.deleteRecursively(work);
    }

    private static byte[] withLength(String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) b.length;
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    /** Replaces every occurrence of {@code pattern} (in place, same length); returns how many. */
    static int replaceAll(byte[] data, byte[] pattern, byte[] replacement) {
        int count = 0;
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            System.arraycopy(replacement, 0, data, i, replacement.length);
            count++;
            i += pattern.length - 1;
        }
        return count;
    }
}
