package org.faasm.python.core.sources;

import java.util.List;

/**
 * One accepted archive of a source: its file name, the sha256 that every copy must have, and where
 * to download it from. {@code debianSource} names a Debian source package whose orig tarball is this
 * very file, for machines without the upstream download site.
 */
public record ArchivePin(String id, String fileName, String sha256, List<String> urls, String debianSource) {
    public ArchivePin {
        urls = List.copyOf(urls);
    }
}
