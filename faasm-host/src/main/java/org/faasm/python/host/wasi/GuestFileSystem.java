package org.faasm.python.host.wasi;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
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
    static final ThreadLocal<int[]> REFUSED = ThreadLocal.withInitial(() -> new int[1]);
    // WASI preview 1 errno values a refusal is reported as
    static final int EMFILE = 33;
    static final int ENOENT = 44;
    static final int ENAMETOOLONG = 37;
    static final int ENOSPC = 51;
    static final int ENOTDIR = 54;
    static final int EROFS = 69;
    /** Linux's PATH_MAX, with the terminating NUL: the longest host path is one byte shorter. */
    static final int HOST_PATH_MAX = 4096;
    /** Linux's NAME_MAX: the longest name in a directory. */
    static final int HOST_NAME_MAX = 255;
    private static final GuestFileSystemProvider PROVIDER = new GuestFileSystemProvider();

    /** The most attribute lookups a read-only mount remembers (a guest cannot grow the host's heap without bound). */
    static final int MAX_CACHED_ATTRIBUTES = 1 << 16;

    final Path root;
    final Path realRoot;
    final boolean writable;
    /**
     * Attributes and real paths read through a read-only mount, and the lookups that found nothing:
     * nothing the guest does can change them, so Python's import system, which stats and opens the
     * same paths on every call, asks the host once. The host forgets them when it changes the
     * mount's files ({@link #forget}).
     */
    final Map<String, Object> attributes = new java.util.concurrent.ConcurrentHashMap<>();

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

    static Path unwrap(Path p) {
        if (!(p instanceof GuestPath g)) {
            throw new ProviderMismatchException("not a guest path: " + p);
        }
        return g.host;
    }

    /** The host path of {@code p}, or NoSuchFileException when it is outside this mount. */
    static Path inside(Path p) throws NoSuchFileException {
        GuestPath g = (GuestPath) Objects.requireNonNull(p);
        Path host = g.host.toAbsolutePath().normalize();
        if (!host.startsWith(g.fs.root)) {
            throw new NoSuchFileException(p.toString(), null, "outside the guest mount");
        }
        return host;
    }

    /** The host path of {@code p} for a change, or AccessDeniedException on a read-only mount. */
    static Path writableInside(Path p) throws IOException {
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
    static Path openable(Path p, boolean write) throws IOException {
        return checked(p, write, false);
    }

    /**
     * The host path of {@code p} for an operation that creates its name: as {@link #openable}, and
     * the real path it would have must be within the host's path limits.
     */
    static Path creatable(Path p) throws IOException {
        return checked(p, true, true);
    }

    static Path checked(Path p, boolean write, boolean creates) throws IOException {
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
                    known = new GuestFileSystemProvider.Missing(e.getReason());
                }
                if (fs.attributes.size() < MAX_CACHED_ATTRIBUTES) {
                    fs.attributes.put(key, known);
                }
            }
            if (known instanceof GuestFileSystemProvider.Missing m) {
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
    static Path realTarget(Path p, Path host) throws IOException {
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
    static void checkLength(Path guest, Path real, long below) throws IOException {
        long length = real.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + below;
        Path name = real.getFileName();
        if (length >= HOST_PATH_MAX || (name != null && name.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > HOST_NAME_MAX)) {
            throw refuse(ENAMETOOLONG, new java.nio.file.FileSystemException(guest.toString(), null, "its host path would be " + length
                    + " bytes long, past the host's limit of " + (HOST_PATH_MAX - 1) + " (or a name past " + HOST_NAME_MAX + ")"));
        }
    }

    /** The length in bytes of the longest path below {@code dir}, relative to it with its leading separator. */
    static long deepest(Path dir) throws IOException {
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
    static CallResources accounting(Path p) {
        return ((GuestPath) p).fs.writable ? CallResources.current() : null;
    }

    static boolean writes(Set<? extends OpenOption> options) {
        for (OpenOption o : options) {
            if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND || o == StandardOpenOption.CREATE
                    || o == StandardOpenOption.CREATE_NEW || o == StandardOpenOption.TRUNCATE_EXISTING
                    || o == StandardOpenOption.DELETE_ON_CLOSE) {
                return true;
            }
        }
        return false;
    }

}
