package org.faasm.python.core.sources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.AtomicFiles;
import org.faasm.python.host.util.Digests;
import org.faasm.python.host.util.Log;

/**
 * Finds a verified archive for a {@link SourcePin}, in this order:
 *
 * <ol>
 *   <li>a local archive the user names ({@code -Dfaasm.<name>.archive=...}), verified and then cached;
 *   <li>the content-addressed {@link SourceCache};
 *   <li>a download from the pinned URLs (not in offline mode), to a temporary file, verified, then
 *       moved into the cache.
 * </ol>
 *
 * The digest is checked every time; nothing unverified is ever cached.
 */
public final class SourceResolver {
    private final SourceCache cache;
    private final Downloader downloader;
    private final boolean offline;
    private final Log log;

    private final PackageIndex index;

    public SourceResolver(SourceCache cache, Downloader downloader, boolean offline, Log log) {
        this(cache, downloader, offline, log, null);
    }

    private SourceResolver(SourceCache cache, Downloader downloader, boolean offline, Log log, PackageIndex index) {
        this.cache = cache;
        this.downloader = downloader;
        this.offline = offline;
        this.log = log;
        this.index = index;
    }

    /** This resolver, with pinned {@code index:<project>} URLs found on this package index. */
    public SourceResolver withIndex(PackageIndex packageIndex) {
        return new SourceResolver(cache, downloader, offline, log, packageIndex);
    }

    /** A resolved archive: the file in the cache and the pin it matched. */
    public record Resolved(Path file, ArchivePin archive, String origin) {}

    /**
     * @param pin the source
     * @param localArchive a user-supplied archive or null
     * @param localArchiveProperty the property that sets it, for messages (e.g. faasm.cpython.archive)
     */
    public Resolved resolve(SourcePin pin, Path localArchive, String localArchiveProperty) {
        return resolve(pin, localArchive, "-D" + localArchiveProperty + " (<" + propertyToParameter(localArchiveProperty) + ">)",
                howToSupply(pin, "-D" + localArchiveProperty + "=<path>"));
    }

    /**
     * @param localArchiveSetting where the local archive is set, for messages
     * @param howToSupply what to do when the archive is missing
     */
    public Resolved resolve(SourcePin pin, Path localArchive, String localArchiveSetting, String howToSupply) {
        if (localArchive != null) {
            return fromLocal(pin, localArchive, localArchiveSetting);
        }
        for (ArchivePin a : pin.archives()) {
            Optional<Path> cached = cache.find(a.sha256());
            if (cached.isPresent()) {
                log.info(pin.label() + ": using cached " + cached.get().getFileName() + " (sha256 " + a.sha256() + " verified)");
                return new Resolved(cached.get(), a, "cache");
            }
        }
        if (offline) {
            throw new FaasmException(pin.label() + " is not in the source cache and Maven is offline, so it cannot be downloaded",
                    cache.root().toString(), howToSupply);
        }
        List<String> failures = new ArrayList<>();
        for (ArchivePin a : pin.archives()) {
            for (String pinned : a.urls()) {
                String url = pinned;
                Path tmp = AtomicFiles.tempSibling(cache.incoming().resolve(a.fileName()));
                try {
                    if (pinned.startsWith(PackageIndex.SCHEME)) {
                        if (index == null) {
                            throw new IOException("no package index is configured for " + pinned);
                        }
                        url = index.expand(pinned, a.fileName());
                    }
                    log.info(pin.label() + ": downloading " + url);
                    String actual = downloader.download(url, tmp);
                    if (!actual.equals(a.sha256())) {
                        failures.add(url + ": checksum mismatch, expected sha256 " + a.sha256() + " but got " + actual);
                        log.warn("Checksum mismatch for " + url + ": expected sha256 " + a.sha256() + ", actual " + actual
                                + "; the file is discarded");
                        continue;
                    }
                    Path stored = cache.put(tmp, a.sha256(), a.fileName(), true);
                    log.info(pin.label() + ": verified sha256 " + a.sha256() + ", cached at " + stored);
                    return new Resolved(stored, a, url);
                } catch (IOException | RuntimeException e) {
                    failures.add(url + ": " + org.faasm.python.host.util.Errors.describe(e));
                    log.warn("Download of " + url + " failed: " + org.faasm.python.host.util.Errors.describe(e));
                } finally {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // best effort clean-up of the scratch file
                    }
                }
            }
        }
        if (failures.isEmpty()) {
            failures.add("the pin lists no download URL");
        }
        throw new FaasmException("Could not download " + pin.label() + "; every URL failed:\n    " + String.join("\n    ", failures),
                pin.file().toString(), howToSupply);
    }

    private Resolved fromLocal(SourcePin pin, Path localArchive, String setting) {
        if (!Files.isRegularFile(localArchive)) {
            throw new FaasmException("The " + pin.name() + " archive " + localArchive + " does not exist", setting,
                    "point it at a downloaded archive of " + pin.label() + " or unset it to use the cache or download");
        }
        String actual = Digests.sha256(localArchive);
        ArchivePin match = pin.archiveWithSha(actual);
        if (match == null) {
            StringBuilder expected = new StringBuilder();
            for (ArchivePin a : pin.archives()) {
                expected.append("\n    ").append(a.sha256()).append("  ").append(a.fileName());
            }
            throw new FaasmException("Checksum mismatch for " + localArchive + ":\n  actual sha256   " + actual
                    + "\n  expected one of:" + expected,
                    setting + ", checked against " + pin.file(),
                    "use the exact " + pin.label() + " release archive; if you changed the version on purpose, update the pin");
        }
        Path stored = cache.find(actual).orElseGet(() -> cache.put(localArchive, actual, match.fileName(), false));
        log.info(pin.label() + ": using local archive " + localArchive + " (sha256 " + actual + " verified)");
        return new Resolved(stored, match, localArchive.toString());
    }

    static String propertyToParameter(String property) {
        // faasm.cpython.archive -> cpythonArchive
        String[] parts = property.replaceFirst("^faasm\\.", "").split("\\.");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            sb.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return sb.toString();
    }

    /** @param setting how to name a local file, e.g. -Dfaasm.zlib.archive=&lt;path&gt; */
    /** The directory of the source cache that holds this archive (where a copy may be put by hand). */
    public Path cacheSlot(ArchivePin a) {
        return cache.slot(a.sha256());
    }

    public static String howToSupply(SourcePin pin, String setting) {
        StringBuilder sb = new StringBuilder("supply the archive with " + setting);
        List<String> debian = pin.debianSources();
        boolean binaryPackage = pin.archives().stream().allMatch(a -> a.fileName().endsWith(".deb"));
        if (!debian.isEmpty() && binaryPackage) {
            sb.append(" (on Debian: 'apt-get download ").append(String.join(" ", debian)).append("' gives this very package)");
        } else if (!debian.isEmpty()) {
            sb.append(" (on Debian: 'apt-get source --download-only ").append(String.join(" ", debian))
                    .append("' with a deb-src entry gives a byte-identical archive)");
        }
        sb.append(", or go online once so it is downloaded into the cache");
        return sb.toString();
    }
}
