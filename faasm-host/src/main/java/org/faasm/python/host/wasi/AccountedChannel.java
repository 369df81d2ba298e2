package org.faasm.python.host.wasi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file a guest call opened: counted against the call's {@code maxOpenFiles} until it is
 * closed and, in the call's {@code /tmp}, every write that makes the file larger counted against
 * {@code tmpSize} before it happens.
 */
final class AccountedChannel extends FileChannel {
    private final FileChannel file;
    private final CallResources resources;
    private final boolean tmp;
    private final boolean append;
    private final Object fileKey;
    private final String path;

    /**
     * @param tmp whether the file is in the call's /tmp (its growth is counted)
     * @param fileKey the file's identity (device and inode), to count it once
     */
    AccountedChannel(FileChannel file, CallResources resources, boolean tmp, boolean append, Object fileKey, String path) {
        this.file = file;
        this.resources = resources;
        this.tmp = tmp;
        this.append = append;
        this.fileKey = fileKey;
        this.path = path;
    }

    Object fileKey() {
        return fileKey;
    }

    /** The file's size, 0 when it cannot be read any more. */
    long sizeOrZero() {
        try {
            return file.size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Counts the growth of writing {@code bytes} at {@code at} (the end of the file in append mode, when {@code at} < 0). */
    private void growing(long at, long bytes) throws IOException {
        if (tmp && bytes > 0) {
            long size = file.size();
            long from = at < 0 ? (append ? size : file.position()) : at;
            resources.grow(from + bytes - size, path);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return file.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        growing(-1, src.remaining());
        return file.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += srcs[i].remaining();
        }
        growing(-1, n);
        return file.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (tmp && size < file.size()) {
            resources.freed();
        }
        file.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        growing(position, count);
        return file.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        growing(position, src.remaining());
        return file.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        if (mode != MapMode.READ_ONLY) {
            throw new IOException(path + ": a guest file is mapped only for reading");
        }
        return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        try {
            file.close();
        } finally {
            resources.closed(this);
        }
    }
}
