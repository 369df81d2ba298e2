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
import org.faasm.python.host.util.Errors;
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
                "-D" + localArchiveProperty + "=<path>");
    }

    /**
     * @param localArchiveSetting where the local archive is set, for messages
     * @param localArchiveHow how a user names a local copy (e.g. {@code -Dfaasm.zlib.archive=<path>}), or null when there is no such setting
     */
    public Resolved resolve(SourcePin pin, Path localArchive, String localArchiveSetting, String localArchiveHow) {
        if (localArchive != null) {
            return fromLocal(pin, localArchive, localArchiveSetting);
        }
        List<String> looked = new ArrayList<>();
        if (localArchiveHow != null) {
            looked.add("a local file: none named (" + localArchiveHow + ")");
        }
        for (ArchivePin a : pin.archives()) {
            Optional<Path> cached = cache.find(a.sha256());
            if (cached.isPresent()) {
                log.info(pin.label() + ": using cached " + cached.get().getFileName() + " (sha256 " + a.sha256() + " verified)");
                return new Resolved(cached.get(), a, "cache");
            }
            looked.add("the source cache: " + cacheFile(a) + ": not there");
        }
        if (offline) {
            looked.add("downloads: none tried, Maven is offline (-o)");
            throw missing(pin, "is not in the source cache and Maven is offline, so it cannot be downloaded", looked,
                    howToSupply(pin, localArchiveHow) + ", or go online once so it is downloaded into the cache");
        }
        int urls = 0;
        for (ArchivePin a : pin.archives()) {
            for (String pinned : a.urls()) {
                urls++;
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
                        looked.add(url + ": checksum mismatch, expected sha256 " + a.sha256() + " but got " + actual);
                        log.warn("Checksum mismatch for " + url + ": expected sha256 " + a.sha256() + ", actual " + actual
                                + "; the file is discarded");
                        continue;
                    }
                    Path stored = cache.put(tmp, a.sha256(), a.fileName(), true);
                    log.info(pin.label() + ": verified sha256 " + a.sha256() + ", cached at " + stored);
                    return new Resolved(stored, a, url);
                } catch (IOException | RuntimeException e) {
                    looked.add((url.equals(pinned) ? url : pinned + " (" + url + ")") + ": " + Errors.describe(e));
                    log.warn("Download of " + url + " failed: " + Errors.describe(e));
                } finally {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // best effort clean-up of the scratch file
                    }
                }
            }
        }
        if (urls == 0) {
            looked.add("downloads: the pin lists no download URL");
        }
        throw missing(pin, urls == 0 ? "is not in the source cache and has no download URL" : "could not be downloaded; every URL failed",
                looked, howToSupply(pin, localArchiveHow) + (urls == 0 ? "" : ", or correct the URLs of the pin"));
    }

    /** The failure for a source found nowhere: what it accepts, every place looked at with what was found there. */
    private static FaasmException missing(SourcePin pin, String what, List<String> looked, String hint) {
        StringBuilder sb = new StringBuilder(pin.label()).append(' ').append(what).append(System.lineSeparator()).append("  accepted:");
        for (ArchivePin a : pin.archives()) {
            sb.append(System.lineSeparator()).append("    ").append(a.fileName()).append("  sha256 ").append(a.sha256());
        }
        sb.append(System.lineSeparator()).append("  looked at:");
        for (String place : looked) {
            sb.append(System.lineSeparator()).append("    ").append(place);
        }
        return new FaasmException(sb.toString(), pin.file().toString(), hint);
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

    /** Where a copy of this archive can be put by hand: its file in the cache slot of its digest (verified on use). */
    public Path cacheFile(ArchivePin a) {
        return cache.slot(a.sha256()).resolve(a.fileName());
    }

    /**
     * What to do when a source is missing: put it into the cache, or name a local copy.
     *
     * @param setting how to name a local copy (e.g. {@code -Dfaasm.zlib.archive=<path>}), or null
     */
    public String howToSupply(SourcePin pin, String setting) {
        StringBuilder sb = new StringBuilder("put ");
        List<ArchivePin> archives = pin.archives();
        for (int i = 0; i < archives.size(); i++) {
            sb.append(i == 0 ? "" : ", or ").append(archives.get(i).fileName()).append(" at ").append(cacheFile(archives.get(i)));
        }
        if (setting != null) {
            sb.append(", or name a local copy with ").append(setting);
        }
        List<String> debian = pin.debianSources();
        boolean binaryPackage = archives.stream().allMatch(a -> a.fileName().endsWith(".deb"));
        if (!debian.isEmpty() && binaryPackage) {
            sb.append(" (on Debian: 'apt-get download ").append(String.join(" ", debian)).append("' gives this very package)");
        } else if (!debian.isEmpty()) {
            sb.append(" (on Debian: 'apt-get source --download-only ").append(String.join(" ", debian))
                    .append("' with a deb-src entry gives a byte-identical archive)");
        }
        return sb.toString();
    }
}
