package org.faasm.python.host.wasi;

import static org.faasm.python.host.wasi.GuestFileSystem.*;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

final class GuestFileSystemProvider extends FileSystemProvider {
    private static FileSystemProvider host() {
        return FileSystems.getDefault().provider();
    }

    @Override
    public String getScheme() {
        return "faasm-guest";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("use GuestFileSystem.mount");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new UnsupportedOperationException("use GuestFileSystem.mount");
    }

    @Override
    public Path getPath(URI uri) {
        throw new UnsupportedOperationException("use GuestFileSystem.mount");
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        boolean creates = options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW);
        Path host = creates ? creatable(path) : openable(path, writes(options));
        CallResources call = CallResources.current();
        if (call == null) {
            try {
                return host().newFileChannel(host, options, attrs);
            } catch (IOException e) {
                throw notADirectory(e);
            }
        }
        boolean tmp = ((GuestPath) path).fs.writable;
        if (tmp && options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            call.freed();
        }
        call.opening(path.toString());
        FileChannel file;
        try {
            file = host().newFileChannel(host, options, attrs);
        } catch (IOException e) {
            call.closed(null);
            throw notADirectory(e);
        } catch (RuntimeException e) {
            call.closed(null);
            throw e;
        }
        Object key = null;
        if (tmp) {
            try {
                key = host().readAttributes(host, BasicFileAttributes.class).fileKey();
            } catch (IOException e) {
                key = null; // counted by its channel's size while open
            }
        }
        AccountedChannel channel = new AccountedChannel(file, call, tmp, options.contains(StandardOpenOption.APPEND), key,
                path.toString());
        call.opened(tmp ? channel : null);
        return channel;
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        GuestPath g = (GuestPath) dir;
        DirectoryStream<Path> s = host().newDirectoryStream(openable(dir, false), p -> filter.accept(new GuestPath(g.fs, p)));
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<Path> it = s.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Path next() {
                        return new GuestPath(g.fs, it.next());
                    }
                };
            }

            @Override
            public void close() throws IOException {
                s.close();
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        try {
            host().createDirectory(creatable(dir), attrs);
        } catch (IOException e) {
            throw notADirectory(e);
        }
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        Path at = creatable(link);
        Path to = target instanceof GuestPath g && g.fs == ((GuestPath) link).fs ? inside(target) : null;
        if (to == null) {
            throw new AccessDeniedException(link.toString(), String.valueOf(target), "a link must point inside its mount");
        }
        host().createSymbolicLink(at, to, attrs);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        if (!(existing instanceof GuestPath g) || g.fs != ((GuestPath) link).fs) {
            writableInside(link);
            throw refuse(EROFS, new AccessDeniedException(link.toString(), String.valueOf(existing), "a link must stay inside its mount"));
        }
        host().createLink(creatable(link), writableInside(existing));
    }

    @Override
    public void delete(Path path) throws IOException {
        try {
            host().delete(writableInside(path));
        } catch (IOException e) {
            throw notADirectory(e);
        }
        CallResources call = accounting(path);
        if (call != null) {
            call.freed();
        }
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return new GuestPath(((GuestPath) link).fs, host().readSymbolicLink(inside(link)));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        if (((GuestPath) source).fs != ((GuestPath) target).fs) {
            throw new ProviderMismatchException();
        }
        Path from = inside(source);
        Path to = creatable(target);
        CallResources call = accounting(target);
        if (call != null) {
            call.freed();
            call.grow(host().readAttributes(from, BasicFileAttributes.class).size(), target.toString());
        }
        host().copy(from, to, options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        if (((GuestPath) source).fs != ((GuestPath) target).fs) {
            writableInside(source);
            throw refuse(EROFS, new AccessDeniedException(source.toString(), target.toString(), "cannot move across guest mounts"));
        }
        Path from = writableInside(source);
        Path to = creatable(target);
        if (java.nio.file.Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            // what the directory holds moves with it: its deepest path must stay within the host's limit too
            checkLength(target, realTarget(target, to), deepest(from));
        }
        CallResources call = accounting(target);
        if (call != null) {
            call.freed();
        }
        // a rename keeps the file's attributes itself; the JDK refuses COPY_ATTRIBUTES with ATOMIC_MOVE (ENOTSUP)
        CopyOption[] kept = java.util.Arrays.stream(options).filter(o -> o != java.nio.file.StandardCopyOption.COPY_ATTRIBUTES)
                .toArray(CopyOption[]::new);
        host().move(from, to, kept);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        if (!(path2 instanceof GuestPath)) {
            return false;
        }
        return host().isSameFile(inside(path), inside(path2));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return host().isHidden(inside(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return host().getFileStore(inside(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        for (AccessMode m : modes) {
            if (m == AccessMode.WRITE) {
                writableInside(path);
            }
        }
        host().checkAccess(inside(path), modes);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        Path host;
        try {
            host = inside(path);
        } catch (NoSuchFileException e) {
            return null;
        }
        V view = host().getFileAttributeView(host, type, options);
        if (view != null && ((GuestPath) path).fs.writable && type == BasicFileAttributeView.class) {
            return (V) writableBasicView((BasicFileAttributeView) view);
        }
        if (view == null || ((GuestPath) path).fs.writable) {
            return view;
        }
        // on a read-only mount only the basic view is offered, and its setTimes is refused
        return type == BasicFileAttributeView.class ? (V) readOnlyBasicView(path, (BasicFileAttributeView) view) : null;
    }

    /** The basic view of a writable mount: setting the times of a file that does not exist is ENOENT (the WASI layer would say EIO). */
    private static BasicFileAttributeView writableBasicView(BasicFileAttributeView view) {
        return basicView(view, (modified, accessed, created) -> {
            try {
                view.setTimes(modified, accessed, created);
            } catch (NoSuchFileException e) {
                throw GuestFileSystem.refuse(GuestFileSystem.ENOENT, e);
            }
        });
    }

    private static BasicFileAttributeView readOnlyBasicView(Path path, BasicFileAttributeView view) {
        return basicView(view, (modified, accessed, created) -> writableInside(path));
    }

    /** What a basic view does when the guest sets a file's times. */
    private interface SetTimes {
        void set(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) throws IOException;
    }

    /** {@code view}, with its setTimes replaced by {@code setTimes}. */
    private static BasicFileAttributeView basicView(BasicFileAttributeView view, SetTimes setTimes) {
        return new BasicFileAttributeView() {
            @Override
            public String name() {
                return view.name();
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return view.readAttributes();
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) throws IOException {
                setTimes.set(lastModifiedTime, lastAccessTime, createTime);
            }
        };
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) throws IOException {
        Path host = inside(path);
        return type.cast(cached(path, host, type.getName(), options, () -> host().readAttributes(host, type, options)));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        Path host = inside(path);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) cached(path, host, attributes, options,
                () -> java.util.Collections.unmodifiableMap(host().readAttributes(host, attributes, options)));
        return map;
    }

    /**
     * The host's "Not a directory" (a path through a regular file, such as file/x) as ENOTDIR, which
     * the WASI layer would report as EIO.
     */
    static IOException notADirectory(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && !(e instanceof NoSuchFileException) && "Not a directory".equals(f.getReason())) {
            return GuestFileSystem.refuse(GuestFileSystem.ENOTDIR, e);
        }
        return e;
    }

    private interface Read {
        Object read() throws IOException;
    }

    /** A missing file, remembered on a read-only mount. */
    record Missing(String reason) {}

    /** Reads through the mount's cache when the mount is read-only. */
    private static Object cached(Path guest, Path host, String what, LinkOption[] options, Read read) throws IOException {
        GuestFileSystem fs = ((GuestPath) guest).fs;
        if (fs.writable) {
            try {
                return read.read();
            } catch (IOException e) {
                throw notADirectory(e);
            }
        }
        String key = host + "\0" + what + "\0" + (options.length > 0);
        Object v = fs.attributes.get(key);
        if (v == null) {
            try {
                v = read.read();
            } catch (NoSuchFileException e) {
                v = new Missing(e.getReason());
            } catch (IOException e) {
                throw notADirectory(e);
            }
            if (fs.attributes.size() < MAX_CACHED_ATTRIBUTES) {
                fs.attributes.put(key, v);
            }
        }
        if (v instanceof Missing m) {
            throw new NoSuchFileException(guest.toString(), null, m.reason());
        }
        return v;
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        host().setAttribute(writableInside(path), attribute, value, options);
    }
}
