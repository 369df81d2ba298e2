package org.faasm.python.host.wasi;

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
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One guest mount: a view of a host directory that the WASI layer sees instead of the directory
 * itself. Every operation is confined to the directory (a path that leaves it, through {@code ..}
 * or a symbolic link's target, does not exist), and a read-only mount refuses every change (open for
 * writing, create, delete, rename, link, set times or attributes) with an {@link IOException}, so
 * nothing a guest does can change the host tree. The refusal is recorded per thread so the WASI
 * layer can report {@code EROFS} as a shared Faasm runtime root would.
 *
 * <p>Every operation that creates a name (a file opened for creation, a directory, a link, a
 * rename's target) checks the real host path it would make, as opening does: one that would pass
 * the host's path limit ({@value #HOST_PATH_MAX} bytes, {@value #HOST_NAME_MAX} a name) is refused
 * with {@code ENAMETOOLONG}, so nothing a guest makes is out of the host's reach when the call's
 * directory is deleted. Files opened during a call count against the call's
 * {@link CallResources} (open files, and the bytes kept in its {@code /tmp}).
 *
 * <p>Paths are the host's paths wrapped, so a mount costs no copy and reads go straight to the
 * host file system.
 */
public final class GuestFileSystem extends FileSystem {
    private static final ThreadLocal<int[]> REFUSED = ThreadLocal.withInitial(() -> new int[1]);
    // WASI preview 1 errno values a refusal is reported as
    static final int EMFILE = 33;
    static final int ENAMETOOLONG = 37;
    static final int ENOSPC = 51;
    static final int EROFS = 69;
    /** Linux's PATH_MAX, with the terminating NUL: the longest host path is one byte shorter. */
    static final int HOST_PATH_MAX = 4096;
    /** Linux's NAME_MAX: the longest name in a directory. */
    static final int HOST_NAME_MAX = 255;
    private static final Provider PROVIDER = new Provider();

    /** The most attribute lookups a read-only mount remembers (a guest cannot grow the host's heap without bound). */
    static final int MAX_CACHED_ATTRIBUTES = 1 << 16;

    private final Path root;
    private final Path realRoot;
    private final boolean writable;
    /**
     * Attributes and real paths read through a read-only mount, and the lookups that found nothing:
     * nothing the guest does can change them, so Python's import system, which stats and opens the
     * same paths on every call, asks the host once. The host forgets them when it changes the
     * mount's files ({@link #forget}).
     */
    private final Map<String, Object> attributes = new java.util.concurrent.ConcurrentHashMap<>();

    private GuestFileSystem(Path root, boolean writable) {
        this.root = root.toAbsolutePath().normalize();
        Path real;
        try {
            real = this.root.toRealPath();
        } catch (IOException e) {
            real = this.root;
        }
        this.realRoot = real;
        this.writable = writable;
    }

    /** The guest view of {@code hostDir}: the path to give the WASI layer as the mount. */
    public static Path mount(Path hostDir, boolean writable) {
        GuestFileSystem fs = new GuestFileSystem(hostDir, writable);
        return new GuestPath(fs, fs.root);
    }

    /** Forgets what the read-only mount {@code mount} ({@link #mount}) remembered: the host changed its files. */
    public static void forget(Path mount) {
        ((GuestPath) mount).fs.attributes.clear();
    }

    /** Forgets an earlier refusal on this thread. */
    public static void clearRefusal() {
        REFUSED.get()[0] = 0;
    }

    /**
     * The WASI errno of the refusal on this thread since {@link #clearRefusal()} (EROFS, ENAMETOOLONG,
     * ENOSPC, EMFILE), or 0: the WASI layer reports an I/O error as that errno.
     */
    public static int refusal() {
        return REFUSED.get()[0];
    }

    /** Records {@code errno} as this thread's refusal and gives {@code e} to throw. */
    static IOException refuse(int errno, IOException e) {
        REFUSED.get()[0] = errno;
        return e;
    }

    public boolean isWritable() {
        return writable;
    }

    // ------------------------------------------------------------------ FileSystem

    @Override
    public FileSystemProvider provider() {
        return PROVIDER;
    }

    @Override
    public void close() {}

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return !writable;
    }

    @Override
    public String getSeparator() {
        return root.getFileSystem().getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(new GuestPath(this, root.getRoot()));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return root.getFileSystem().supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return new GuestPath(this, root.getFileSystem().getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher m = root.getFileSystem().getPathMatcher(syntaxAndPattern);
        return p -> m.matches(unwrap(p));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("no principals in a guest mount");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("no watch service in a guest mount");
    }

    // ------------------------------------------------------------------ confinement

    private static Path unwrap(Path p) {
        if (!(p instanceof GuestPath g)) {
            throw new ProviderMismatchException("not a guest path: " + p);
        }
        return g.host;
    }

    /** The host path of {@code p}, or NoSuchFileException when it is outside this mount. */
    private static Path inside(Path p) throws NoSuchFileException {
        GuestPath g = (GuestPath) Objects.requireNonNull(p);
        Path host = g.host.toAbsolutePath().normalize();
        if (!host.startsWith(g.fs.root)) {
            throw new NoSuchFileException(p.toString(), null, "outside the guest mount");
        }
        return host;
    }

    /** The host path of {@code p} for a change, or AccessDeniedException on a read-only mount. */
    private static Path writableInside(Path p) throws IOException {
        Path host = inside(p);
        if (!((GuestPath) p).fs.writable) {
            throw refuse(EROFS, new AccessDeniedException(p.toString(), null, "read-only file system"));
        }
        return host;
    }

    /**
     * The host path of {@code p} for opening: besides the lexical check, the real path of the file
     * (or of its nearest existing parent, for a file to create) must lie in the mount, so a symbolic
     * link on the way cannot lead outside it.
     */
    private static Path openable(Path p, boolean write) throws IOException {
        return checked(p, write, false);
    }

    /**
     * The host path of {@code p} for an operation that creates its name: as {@link #openable}, and
     * the real path it would have must be within the host's path limits.
     */
    private static Path creatable(Path p) throws IOException {
        return checked(p, true, true);
    }

    private static Path checked(Path p, boolean write, boolean creates) throws IOException {
        Path host = write ? writableInside(p) : inside(p);
        GuestFileSystem fs = ((GuestPath) p).fs;
        if (!fs.writable) {
            // a read-only mount: its real paths do not change while the host runs
            String key = host + "\0realpath";
            Object known = fs.attributes.get(key);
            if (known == null) {
                try {
                    known = realTarget(p, host);
                } catch (NoSuchFileException e) {
                    known = new Provider.Missing(e.getReason());
                }
                if (fs.attributes.size() < MAX_CACHED_ATTRIBUTES) {
                    fs.attributes.put(key, known);
                }
            }
            if (known instanceof Provider.Missing m) {
                throw new NoSuchFileException(p.toString(), null, m.reason());
            }
            return host;
        }
        Path real = realTarget(p, host);
        if (creates) {
            checkLength(p, real, 0);
        }
        return host;
    }

    /**
     * The real host path of {@code host}: its nearest existing parent's real path, with the names
     * that do not exist yet; NoSuchFileException when that leads outside the mount.
     */
    private static Path realTarget(Path p, Path host) throws IOException {
        GuestFileSystem fs = ((GuestPath) p).fs;
        Path probe = host;
        while (probe != null && !java.nio.file.Files.exists(probe, LinkOption.NOFOLLOW_LINKS)) {
            probe = probe.getParent();
        }
        Path real;
        try {
            real = probe == null ? null : probe.toRealPath();
        } catch (IOException e) {
            real = null; // a dangling link
        }
        if (real == null || !real.startsWith(fs.realRoot)) {
            throw new NoSuchFileException(p.toString(), null, "outside the guest mount");
        }
        return real.resolve(probe.relativize(host).toString());
    }

    /**
     * Refuses with ENAMETOOLONG a name whose real host path ({@code real}, with {@code below} more
     * bytes of paths under it) would pass the host's limits.
     */
    private static void checkLength(Path guest, Path real, long below) throws IOException {
        long length = real.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + below;
        Path name = real.getFileName();
        if (length >= HOST_PATH_MAX || (name != null && name.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > HOST_NAME_MAX)) {
            throw refuse(ENAMETOOLONG, new java.nio.file.FileSystemException(guest.toString(), null, "its host path would be " + length
                    + " bytes long, past the host's limit of " + (HOST_PATH_MAX - 1) + " (or a name past " + HOST_NAME_MAX + ")"));
        }
    }

    /** The length in bytes of the longest path below {@code dir}, relative to it with its leading separator. */
    private static long deepest(Path dir) throws IOException {
        long[] max = {0};
        int base = dir.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        java.nio.file.Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return visitFile(d, attrs);
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                max[0] = Math.max(max[0], file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length - base);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException exc) {
                return visitFile(file, null);
            }
        });
        return max[0];
    }

    /** Whether {@code host} is in the call's /tmp (a writable mount): its changes count against the call's limits. */
    private static CallResources accounting(Path p) {
        return ((GuestPath) p).fs.writable ? CallResources.current() : null;
    }

    private static boolean writes(Set<? extends OpenOption> options) {
        for (OpenOption o : options) {
            if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND || o == StandardOpenOption.CREATE
                    || o == StandardOpenOption.CREATE_NEW || o == StandardOpenOption.TRUNCATE_EXISTING
                    || o == StandardOpenOption.DELETE_ON_CLOSE) {
                return true;
            }
        }
        return false;
    }

    private static final class Provider extends FileSystemProvider {
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
                return host().newFileChannel(host, options, attrs);
            }
            boolean tmp = ((GuestPath) path).fs.writable;
            if (tmp && options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
                call.freed();
            }
            call.opening(path.toString());
            FileChannel file;
            try {
                file = host().newFileChannel(host, options, attrs);
            } catch (IOException | RuntimeException e) {
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
            host().createDirectory(creatable(dir), attrs);
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
            host().delete(writableInside(path));
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
            if (view == null || ((GuestPath) path).fs.writable) {
                return view;
            }
            // on a read-only mount only the basic view is offered, and its setTimes is refused
            return type == BasicFileAttributeView.class ? (V) readOnlyBasicView(path, (BasicFileAttributeView) view) : null;
        }

        private static BasicFileAttributeView readOnlyBasicView(Path path, BasicFileAttributeView view) {
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
                    writableInside(path);
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

        private interface Read {
            Object read() throws IOException;
        }

        /** A missing file, remembered on a read-only mount. */
        record Missing(String reason) {}

        /** Reads through the mount's cache when the mount is read-only. */
        private static Object cached(Path guest, Path host, String what, LinkOption[] options, Read read) throws IOException {
            GuestFileSystem fs = ((GuestPath) guest).fs;
            if (fs.writable) {
                return read.read();
            }
            String key = host + "\0" + what + "\0" + (options.length > 0);
            Object v = fs.attributes.get(key);
            if (v == null) {
                try {
                    v = read.read();
                } catch (NoSuchFileException e) {
                    v = new Missing(e.getReason());
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

    /** A host path seen through a guest mount. */
    private static final class GuestPath implements Path {
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
}
