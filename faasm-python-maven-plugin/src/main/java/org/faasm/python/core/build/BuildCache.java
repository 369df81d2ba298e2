package org.faasm.python.core.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.faasm.python.core.archive.DeterministicTar;
import org.faasm.python.core.sources.ArchiveExtractor;
import org.faasm.python.host.keyed.BuildInputs;
import org.faasm.python.host.keyed.KeyedOutput;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * Content-keyed cache of finished build outputs, {@code <root>/<kind>/<key>/}: each entry is a
 * verified {@link KeyedOutput} (its stamp lists its inputs and the sha256 of every file). Lookup
 * order: this cache, then the team's {@link RemoteCache}, then the build step. An entry from the
 * team cache is unpacked beside its place and adopted only when its stamp is for exactly the
 * requested inputs and its files match; anything else is a warning and a local build. With pushing
 * on, every entry this build uses is offered to the team cache.
 */
public final class BuildCache {
    /** Fixed time of the entries of packed archives (reproducible bytes). */
    static final long PACK_MTIME = 0L;
    /** Entries this JVM offered to a team cache (each once per remote). */
    private static final java.util.Set<String> OFFERED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Path root;
    private final RemoteCache remote;
    private final Log log;

    public BuildCache(Path root, RemoteCache remote, Log log) {
        this.root = root;
        this.remote = remote;
        this.log = log;
    }

    public BuildCache(Path root, Log log) {
        this(root, RemoteCache.NONE, log);
    }

    /** The entry of {@code kind} for these inputs. */
    public KeyedOutput entry(String kind, String what, BuildInputs inputs) {
        return KeyedOutput.directory(what, root.resolve(kind).resolve(inputs.key()), inputs).verified();
    }

    /** A verified local entry. */
    public Optional<Path> lookup(String kind, BuildInputs inputs) {
        return usable(entry(kind, kind, inputs));
    }

    /** The entry when it is in place and verified; an entry that fails verification is removed. */
    private Optional<Path> usable(KeyedOutput e) {
        Optional<String> why = e.staleness();
        if (why.isPresent() && Files.exists(e.target())) {
            log.warn("Cache entry " + e.target() + " cannot be used: " + why.get() + "; removing it");
            FileTrees.deleteRecursively(e.target());
        }
        return why.isEmpty() ? Optional.of(e.target()) : Optional.empty();
    }

    /**
     * The entry of {@code kind} for these inputs: from this cache, else from the team cache, else
     * made by {@code step}.
     */
    public Path obtain(String kind, String what, BuildInputs inputs, KeyedOutput.Step step) {
        KeyedOutput e = entry(kind, what, inputs);
        String key = inputs.key();
        Optional<Path> local = usable(e);
        if (local.isPresent()) {
            log.info(what + ": reusing the cached build " + local.get() + " (key " + key.substring(0, 12) + ")");
            offer(kind, key, local.get());
            return local.get();
        }
        if (fromRemote(kind, e)) {
            log.info(what + ": taken from the team cache (key " + key.substring(0, 12) + "); no build needed");
            return e.target();
        }
        e.make(log, step);
        offer(kind, key, e.target());
        return e.target();
    }

    /**
     * Makes {@code output} (under target/) from the cache entry of {@code kind} for the same inputs,
     * which is obtained as {@link #obtain} does; nothing happens when the output is up to date.
     *
     * @param file for a single-file output, the file of the entry to copy; null for a directory output
     * @return the entry when it was needed, else empty
     */
    public Optional<Path> materialise(KeyedOutput output, String kind, String what, String file, KeyedOutput.Step step) {
        if (output.upToDate()) {
            log.info(what + " is up to date in " + output.target() + " (key " + output.key().substring(0, 12) + ")");
            offerIfCached(kind, output.inputs());
            return Optional.empty();
        }
        Path entry = obtain(kind, what, output.inputs(), step);
        output.copyFrom(file == null ? entry : entry.resolve(file), log);
        return Optional.of(entry);
    }

    /** With pushing on, a build whose outputs are all up to date still offers its entries. */
    private void offerIfCached(String kind, BuildInputs inputs) {
        if (remote.pushes()) {
            lookup(kind, inputs).ifPresent(entry -> offer(kind, inputs.key(), entry));
        }
    }

    private boolean fromRemote(String kind, KeyedOutput e) {
        Optional<Path> packed = remote.fetch(kind, e.key());
        if (packed.isEmpty()) {
            return false;
        }
        Path candidate = AtomicFiles.tempSibling(e.target());
        try {
            ArchiveExtractor.extract(packed.get(), candidate, false);
            Optional<String> refused = e.adopt(candidate);
            refused.ifPresent(why -> {
                log.warn("The team cache's entry " + kind + "/" + e.key() + " is not used: " + why + "; building locally");
                remote.evict(kind, e.key());
            });
            return refused.isEmpty();
        } catch (RuntimeException ex) {
            log.warn("The team cache's entry " + kind + "/" + e.key() + " is not used: " + ex.getMessage() + "; building locally");
            remote.evict(kind, e.key());
            return false;
        } finally {
            FileTrees.deleteRecursively(candidate);
        }
    }

    private void offer(String kind, String key, Path entry) {
        if (!remote.pushes() || !OFFERED.add(System.identityHashCode(remote) + "/" + kind + "/" + key) || remote.has(kind, key)) {
            return;
        }
        log.info("Packing " + kind + "/" + key.substring(0, 12) + " for the team cache");
        Path packed = AtomicFiles.tempSibling(entry.resolveSibling(key + ".tar.gz"));
        try {
            pack(entry, packed);
            remote.push(kind, key, packed);
        } finally {
            try {
                Files.deleteIfExists(packed);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** A reproducible archive of an entry (its stamp included). */
    static void pack(Path entry, Path archive) {
        new DeterministicTar(PACK_MTIME).addTree("", entry).write(archive);
    }
}
