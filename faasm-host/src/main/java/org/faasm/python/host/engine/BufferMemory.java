package org.faasm.python.host.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;
import run.endive.runtime.Instance;
import run.endive.runtime.Memory;
import run.endive.runtime.WasmRuntimeException;
import run.endive.wasm.types.DataSegment;

/**
 * A native engine's linear memory seen through Endive's {@link Memory} interface, so the WASI
 * implementation and the Faasm host functions read and write guest memory the same way on every
 * engine. The engine's buffer is fetched again after the memory grows ({@link #refresh()}); an
 * access outside it fails like a wasm out-of-bounds access.
 */
final class BufferMemory implements Memory {
    private final Supplier<ByteBuffer> buffers;
    private final IntUnaryOperator grower;
    private final int maxPages;
    private ByteBuffer buf;

    /**
     * @param buffers gives the engine's current memory as a buffer
     * @param grower grows the engine's memory by the given pages, giving the old size in pages or -1
     */
    BufferMemory(Supplier<ByteBuffer> buffers, IntUnaryOperator grower, int maxPages) {
        this.buffers = buffers;
        this.grower = grower;
        this.maxPages = maxPages;
        this.buf = ByteBuffer.allocate(0); // fetched at the first access: the engine may make the memory after this view
    }

    /** Whether the first {@code end} bytes are memory: the buffer is asked again only when its last view is too small. */
    boolean holds(long end) {
        if (end <= buf.capacity()) {
            return true;
        }
        refresh();
        return end <= buf.capacity();
    }

    /** Fetches the engine's buffer again (its size changes when the guest grows its memory). */
    void refresh() {
        buf = buffers.get().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static WasmRuntimeException outOfBounds(int addr, int len) {
        return new WasmRuntimeException("out of bounds memory access: attempted to access address: " + addr + " but limit is: " + len);
    }

    private int at(int addr, int size) {
        if (addr < 0 || (long) addr + size > buf.capacity()) {
            refresh();
            if (addr < 0 || (long) addr + size > buf.capacity()) {
                throw outOfBounds(addr, buf.capacity());
            }
        }
        return addr;
    }

    @Override
    public int pages() {
        refresh();
        return buf.capacity() / PAGE_SIZE;
    }

    @Override
    public int grow(int pages) {
        int old = grower.applyAsInt(pages);
        refresh();
        return old;
    }

    @Override
    public int initialPages() {
        return 0;
    }

    @Override
    public int maximumPages() {
        return maxPages;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public Object lock(int address) {
        return this;
    }

    @Override
    public int waitOn(int address, int expected, long timeout) {
        throw new WasmRuntimeException("atomic wait on an unshared memory");
    }

    @Override
    public int waitOn(int address, long expected, long timeout) {
        throw new WasmRuntimeException("atomic wait on an unshared memory");
    }

    @Override
    public int notify(int address, int count) {
        return 0;
    }

    @Override
    public void initialize(Instance instance, DataSegment[] dataSegments) {
        // the engine initialises its own memory; the adapter's instance has no data
    }

    @Override
    public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
        throw new WasmRuntimeException("passive data segments are the engine's");
    }

    @Override
    public void write(int addr, byte[] data, int offset, int size) {
        buf.put(at(addr, size), data, offset, size);
    }

    @Override
    public byte read(int addr) {
        return buf.get(at(addr, 1));
    }

    @Override
    public byte[] readBytes(int addr, int len) {
        byte[] out = new byte[len];
        buf.get(at(addr, len), out, 0, len);
        return out;
    }

    @Override
    public void writeI32(int addr, int data) {
        buf.putInt(at(addr, 4), data);
    }

    @Override
    public int readInt(int addr) {
        return buf.getInt(at(addr, 4));
    }

    @Override
    public void writeLong(int addr, long data) {
        buf.putLong(at(addr, 8), data);
    }

    @Override
    public long readLong(int addr) {
        return buf.getLong(at(addr, 8));
    }

    @Override
    public void writeShort(int addr, short data) {
        buf.putShort(at(addr, 2), data);
    }

    @Override
    public short readShort(int addr) {
        return buf.getShort(at(addr, 2));
    }

    @Override
    public long readU16(int addr) {
        return readShort(addr) & 0xFFFFL;
    }

    @Override
    public void writeByte(int addr, byte data) {
        buf.put(at(addr, 1), data);
    }

    @Override
    public void writeF32(int addr, float data) {
        buf.putFloat(at(addr, 4), data);
    }

    @Override
    public long readF32(int addr) {
        return readInt(addr);
    }

    @Override
    public float readFloat(int addr) {
        return buf.getFloat(at(addr, 4));
    }

    @Override
    public void writeF64(int addr, double data) {
        buf.putDouble(at(addr, 8), data);
    }

    @Override
    public double readDouble(int addr) {
        return buf.getDouble(at(addr, 8));
    }

    @Override
    public long readF64(int addr) {
        return readLong(addr);
    }

    @Override
    public void zero() {
        fill((byte) 0, 0, pages() * PAGE_SIZE);
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        at(fromIndex, toIndex - fromIndex);
        byte[] chunk = new byte[Math.min(1 << 20, Math.max(0, toIndex - fromIndex))];
        java.util.Arrays.fill(chunk, value);
        for (int i = fromIndex; i < toIndex; i += chunk.length) {
            buf.put(i, chunk, 0, Math.min(chunk.length, toIndex - i));
        }
    }

    @Override
    public void drop(int segment) {
        // no passive segments here
    }
}
