package org.faasm.python.host.wasi;

import static org.faasm.python.host.wasi.GuestFileSystem.*;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/** A host path seen through a guest mount. */
final class GuestPath implements Path {
    final GuestFileSystem fs;
    final Path host;

    GuestPath(GuestFileSystem fs, Path host) {
        this.fs = fs;
        this.host = host;
    }

    private GuestPath wrap(Path p) {
        return p == null ? null : new GuestPath(fs, p);
    }

    @Override
    public FileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return host.isAbsolute();
    }

    @Override
    public Path getRoot() {
        return wrap(host.getRoot());
    }

    @Override
    public Path getFileName() {
        return wrap(host.getFileName());
    }

    @Override
    public Path getParent() {
        return wrap(host.getParent());
    }

    @Override
    public int getNameCount() {
        return host.getNameCount();
    }

    @Override
    public Path getName(int index) {
        return wrap(host.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return wrap(host.subpath(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        return other instanceof GuestPath g && host.startsWith(g.host);
    }

    @Override
    public boolean endsWith(Path other) {
        return other instanceof GuestPath g && host.endsWith(g.host);
    }

    @Override
    public Path normalize() {
        return wrap(host.normalize());
    }

    @Override
    public Path resolve(Path other) {
        return wrap(host.resolve(unwrap(other)));
    }

    @Override
    public Path relativize(Path other) {
        return wrap(host.relativize(unwrap(other)));
    }

    @Override
    public URI toUri() {
        throw new UnsupportedOperationException("a guest path has no URI");
    }

    @Override
    public Path toAbsolutePath() {
        return wrap(host.toAbsolutePath());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        Path real = inside(this).toRealPath(options);
        if (!real.startsWith(fs.root.toRealPath())) {
            throw new NoSuchFileException(toString(), null, "outside the guest mount");
        }
        return wrap(real);
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("no watch service in a guest mount");
    }

    @Override
    public int compareTo(Path other) {
        return host.compareTo(unwrap(other));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestPath g && g.fs == fs && g.host.equals(host);
    }

    @Override
    public int hashCode() {
        return host.hashCode();
    }

    @Override
    public String toString() {
        return host.toString();
    }
}
