package org.faasm.python.host.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.faasm.python.host.FaasmException;

/**
 * Rewrites a wasm module so that a native engine can run it under the host's rules, and builds the
 * image modules its instances take their memory from:
 * <ul>
 *   <li>its one defined memory becomes an import ({@code env.memory}), which an image module
 *       provides with the limit the host wants, so the compiled code depends neither on the limit
 *       nor on what memory starts with;
 *   <li>its active data segments move out of the module into {@link Rewritten#data()}: a fresh
 *       instance's image module holds them, and an instance restored from a snapshot gets the
 *       snapshot's memory instead;
 *   <li>for each mutable global it defines, a function that gives it and one that sets it are
 *       appended and exported ({@code __faasm_get_global_<index>}, {@code __faasm_set_global_<index>}),
 *       so the host can read a zygote's globals and set them on an instance made from its snapshot
 *       (these bindings cannot link a global into an instance);
 *   <li>{@code _initialize} is exported as {@value #INITIALIZE}, so making an instance does not run
 *       it: the host runs it once, for the zygote, and never on an instance made from a snapshot.
 * </ul>
 * Code and the other exports keep their indices: an imported memory takes the index the defined
 * one had, and the types and functions added come after all others. {@link #imageModule} writes a
 * memory image as a module that defines a memory with the image as its data, as Wizer does:
 * wasmtime maps such a memory copy-on-write from the compiled image, so an instance starts from a
 * snapshot without copying it.
 */
final class WasmRewriter {
    /** The exported function that gives mutable global {@code i}. */
    static String globalGetter(int i) {
        return "__faasm_get_global_" + i;
    }

    /** The exported function that sets mutable global {@code i}. */
    static String globalSetter(int i) {
        return "__faasm_set_global_" + i;
    }

    /** What {@code _initialize} is exported as. */
    static final String INITIALIZE = "__faasm_initialize";

    /** What the rewrite does, as part of the key of the compiled code (a changed rewrite compiles again). */
    static final String VERSION = "rewrite-2";

    /**
     * What the rewrite found: the new module, the memory's initial pages, the mutable globals
     * exported, and the data segments taken out, as the bytes from {@code dataOffset} on.
     */
    record Rewritten(byte[] wasm, int initialPages, List<Integer> mutableGlobals, int dataOffset, byte[] data) {}

    private static final int TYPE = 1;
    private static final int IMPORT = 2;
    private static final int FUNCTION = 3;
    private static final int CODE = 10;
    private static final int MEMORY = 5;
    private static final int GLOBAL = 6;
    private static final int EXPORT = 7;
    private static final int DATA = 11;
    private static final int DATA_COUNT = 12;

    private WasmRewriter() {}

    static Rewritten rewrite(byte[] wasm, String what) {
        Reader r = new Reader(wasm, what);
        if (wasm.length < 8 || r.u32le() != 0x6D736100 || r.u32le() != 1) {
            throw r.bad("it is not a WebAssembly 1.0 binary module");
        }
        List<byte[]> sections = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        while (r.pos < wasm.length) {
            int id = r.b();
            int size = (int) r.leb();
            if (size < 0 || r.pos + size > wasm.length) {
                throw r.bad("section " + id + " runs past the end of the file");
            }
            ids.add(id);
            sections.add(java.util.Arrays.copyOfRange(wasm, r.pos, r.pos + size));
            r.pos += size;
        }
        int importedGlobals = 0;
        int importedFunctions = 0;
        int memIndex = ids.indexOf(MEMORY);
        if (memIndex < 0) {
            throw r.bad("it defines no memory (py_func.wasm defines one and exports it)");
        }
        // the memory: one limits entry
        Reader m = new Reader(sections.get(memIndex), what);
        if (m.leb() != 1) {
            throw r.bad("it defines more than one memory");
        }
        int flags = m.b();
        if (flags != 0 && flags != 1) {
            throw r.bad("its memory is shared or 64-bit (flags " + flags + ")");
        }
        int initial = (int) m.leb();
        int importIndex = ids.indexOf(IMPORT);
        ByteArrayOutputStream imports = new ByteArrayOutputStream();
        long importCount = 0;
        byte[] oldImports = importIndex < 0 ? new byte[0] : sections.get(importIndex);
        if (importIndex >= 0) {
            Reader im = new Reader(oldImports, what);
            importCount = im.leb();
            int entries = im.pos;
            for (long i = 0; i < importCount; i++) {
                im.name();
                im.name();
                int kind = im.b();
                switch (kind) {
                    case 0 -> {
                        im.leb();
                        importedFunctions++;
                    }
                    case 1 -> {
                        im.b();
                        limits(im);
                    }
                    case 2 -> throw r.bad("it imports a memory already");
                    case 3 -> {
                        im.b();
                        im.b();
                        importedGlobals++;
                    }
                    default -> throw r.bad("it has an import of unknown kind " + kind);
                }
            }
            imports.write(oldImports, entries, oldImports.length - entries);
        }
        ByteArrayOutputStream newImports = new ByteArrayOutputStream();
        leb(newImports, importCount + 1);
        newImports.writeBytes(imports.toByteArray());
        name(newImports, "env");
        name(newImports, "memory");
        newImports.write(2);
        newImports.write(0); // no maximum: the image module's memory sets it
        leb(newImports, initial);

        List<Integer> mutable = new ArrayList<>();
        List<Integer> mutableTypes = new ArrayList<>();
        int globalIndex = ids.indexOf(GLOBAL);
        if (globalIndex >= 0) {
            Reader g = new Reader(sections.get(globalIndex), what);
            long count = g.leb();
            for (int i = 0; i < count; i++) {
                int type = g.b();
                if (g.b() == 1) {
                    mutable.add(importedGlobals + i);
                    mutableTypes.add(type);
                }
                g.constExpr();
            }
        }
        // for each mutable global, a getter and a setter appended to the functions (no index changes)
        int typeIndex = ids.indexOf(TYPE);
        int functionIndex = ids.indexOf(FUNCTION);
        int codeIndex = ids.indexOf(CODE);
        long definedFunctions = 0;
        if (!mutable.isEmpty()) {
            if (typeIndex < 0 || functionIndex < 0 || codeIndex < 0) {
                throw r.bad("it has mutable globals but no functions");
            }
            Reader t = new Reader(sections.get(typeIndex), what);
            long types = t.leb();
            ByteArrayOutputStream newTypes = new ByteArrayOutputStream();
            leb(newTypes, types + 2L * mutable.size());
            newTypes.write(t.b, t.pos, t.b.length - t.pos);
            Reader f = new Reader(sections.get(functionIndex), what);
            definedFunctions = f.leb();
            ByteArrayOutputStream newFunctions = new ByteArrayOutputStream();
            leb(newFunctions, definedFunctions + 2L * mutable.size());
            newFunctions.write(f.b, f.pos, f.b.length - f.pos);
            Reader c = new Reader(sections.get(codeIndex), what);
            long bodies = c.leb();
            ByteArrayOutputStream newCode = new ByteArrayOutputStream();
            leb(newCode, bodies + 2L * mutable.size());
            newCode.write(c.b, c.pos, c.b.length - c.pos);
            for (int i = 0; i < mutable.size(); i++) {
                int type = mutableTypes.get(i);
                newTypes.writeBytes(new byte[] {0x60, 0x00, 0x01, (byte) type}); // () -> (t)
                newTypes.writeBytes(new byte[] {0x60, 0x01, (byte) type, 0x00}); // (t) -> ()
                leb(newFunctions, types + 2L * i);
                leb(newFunctions, types + 2L * i + 1);
                ByteArrayOutputStream get = new ByteArrayOutputStream();
                get.write(0);
                get.write(0x23);
                leb(get, mutable.get(i));
                get.write(0x0B);
                leb(newCode, get.size());
                newCode.writeBytes(get.toByteArray());
                ByteArrayOutputStream set = new ByteArrayOutputStream();
                set.write(0);
                set.write(0x20);
                set.write(0);
                set.write(0x24);
                leb(set, mutable.get(i));
                set.write(0x0B);
                leb(newCode, set.size());
                newCode.writeBytes(set.toByteArray());
            }
            sections.set(typeIndex, newTypes.toByteArray());
            sections.set(functionIndex, newFunctions.toByteArray());
            sections.set(codeIndex, newCode.toByteArray());
        }
        int exportIndex = ids.indexOf(EXPORT);
        ByteArrayOutputStream newExports = new ByteArrayOutputStream();
        byte[] oldExports = exportIndex < 0 ? new byte[] {0} : sections.get(exportIndex);
        Reader ex = new Reader(oldExports, what);
        long exportCount = ex.leb();
        leb(newExports, exportCount + 2L * mutable.size());
        for (long i = 0; i < exportCount; i++) {
            String exported = ex.string();
            int kind = ex.b();
            long index = ex.leb();
            name(newExports, exported.equals("_initialize") ? INITIALIZE : exported);
            newExports.write(kind);
            leb(newExports, index);
        }
        for (int i = 0; i < mutable.size(); i++) {
            long getter = importedFunctions + definedFunctions + 2L * i;
            name(newExports, globalGetter(mutable.get(i)));
            newExports.write(0);
            leb(newExports, getter);
            name(newExports, globalSetter(mutable.get(i)));
            newExports.write(0);
            leb(newExports, getter + 1);
        }

        // the active data segments, as one image from the lowest offset to the highest end
        int dataIndex = ids.indexOf(DATA);
        int dataOffset = 0;
        byte[] data = new byte[0];
        if (dataIndex >= 0) {
            Reader d = new Reader(sections.get(dataIndex), what);
            long count = d.leb();
            long[] offsets = new long[(int) count];
            int[] starts = new int[(int) count];
            int[] lengths = new int[(int) count];
            long low = Long.MAX_VALUE;
            long high = 0;
            for (int i = 0; i < count; i++) {
                long kind = d.leb();
                if (kind == 2 && d.leb() != 0 || kind != 0 && kind != 2) {
                    throw r.bad("it has a passive data segment, or one for another memory");
                }
                if (d.b() != 0x41) {
                    throw r.bad("a data segment's offset is not a constant");
                }
                offsets[i] = d.sleb() & 0xFFFFFFFFL;
                if (d.b() != 0x0B) {
                    throw r.bad("a data segment's offset is not a constant");
                }
                lengths[i] = (int) d.leb();
                starts[i] = d.pos;
                if (lengths[i] < 0 || d.pos + lengths[i] > d.b.length) {
                    throw r.bad("a data segment runs past its section");
                }
                d.pos += lengths[i];
                low = Math.min(low, offsets[i]);
                high = Math.max(high, offsets[i] + lengths[i]);
            }
            if (count > 0) {
                if (high > (long) initial * 65536) {
                    throw r.bad("a data segment lies past the memory's initial size");
                }
                dataOffset = (int) low;
                data = new byte[(int) (high - low)];
                for (int i = 0; i < count; i++) {
                    System.arraycopy(d.b, starts[i], data, (int) (offsets[i] - low), lengths[i]);
                }
            }
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(wasm.length + 256);
        out.write(wasm, 0, 8);
        boolean importsWritten = false;
        boolean exportsWritten = false;
        for (int i = 0; i < sections.size(); i++) {
            int id = ids.get(i);
            // sections are in order; the import section (2) comes before memory (5), exports (7) after
            if (!importsWritten && (id == IMPORT || (id != 0 && rank(id) > rank(IMPORT)))) {
                section(out, IMPORT, newImports.toByteArray());
                importsWritten = true;
                if (id == IMPORT) {
                    continue;
                }
            }
            if (id == MEMORY) {
                continue;
            }
            if (id == DATA || id == DATA_COUNT) {
                section(out, id, new byte[] {0}); // no segments: the host gives memory its content
                continue;
            }
            if (!exportsWritten && (id == EXPORT || (id != 0 && rank(id) > rank(EXPORT)))) {
                section(out, EXPORT, newExports.toByteArray());
                exportsWritten = true;
                if (id == EXPORT) {
                    continue;
                }
            }
            section(out, id, sections.get(i));
        }
        if (!exportsWritten) {
            section(out, EXPORT, newExports.toByteArray());
        }
        return new Rewritten(out.toByteArray(), initial, List.copyOf(mutable), dataOffset, data);
    }

    /**
     * A module that provides the memory the rewritten module imports: one memory, exported as
     * {@code memory}, of {@code pages} pages and at most {@code maxPages}, holding {@code data} from
     * {@code offset} (one segment, trimmed of zeros at both ends, so that the image is dense and
     * wasmtime maps it copy-on-write).
     */
    static byte[] imageModule(byte[] data, int offset, int pages, int maxPages) {
        int first = 0;
        while (first < data.length && data[first] == 0) {
            first++;
        }
        int end = data.length;
        while (end > first && data[end - 1] == 0) {
            end--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - first + 64);
        out.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});
        ByteArrayOutputStream mem = new ByteArrayOutputStream();
        mem.write(1);
        mem.write(1);
        leb(mem, pages);
        leb(mem, Math.max(pages, maxPages));
        section(out, MEMORY, mem.toByteArray());
        ByteArrayOutputStream exp = new ByteArrayOutputStream();
        exp.write(1);
        name(exp, "memory");
        exp.write(2);
        exp.write(0);
        section(out, EXPORT, exp.toByteArray());
        ByteArrayOutputStream dat = new ByteArrayOutputStream(end - first + 16);
        if (end > first) {
            dat.write(1);
            dat.write(0);
            dat.write(0x41);
            sleb(dat, offset + first);
            dat.write(0x0B);
            leb(dat, end - first);
            dat.write(data, first, end - first);
        } else {
            dat.write(0);
        }
        section(out, DATA, dat.toByteArray());
        return out.toByteArray();
    }

    /** A section's place in the order the binary format prescribes (tags come before globals, data count before code). */
    private static int rank(int id) {
        return switch (id) {
            case 13 -> 55;
            case 12 -> 95;
            default -> id * 10;
        };
    }

    private static void limits(Reader r) {
        int flags = r.b();
        r.leb();
        if ((flags & 1) != 0) {
            r.leb();
        }
    }

    private static void section(ByteArrayOutputStream out, int id, byte[] body) {
        out.write(id);
        leb(out, body.length);
        out.writeBytes(body);
    }

    private static void name(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        leb(out, b.length);
        out.writeBytes(b);
    }

    static void leb(ByteArrayOutputStream out, long value) {
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            out.write(value != 0 ? b | 0x80 : b);
        } while (value != 0);
    }

    /** A signed LEB128 (an {@code i32.const}'s immediate) of a 32-bit value. */
    static void sleb(ByteArrayOutputStream out, int value) {
        long v = value;
        while (true) {
            int b = (int) (v & 0x7F);
            v >>= 7;
            if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) {
                out.write(b);
                return;
            }
            out.write(b | 0x80);
        }
    }

    private static final class Reader {
        final byte[] b;
        final String what;
        int pos;

        Reader(byte[] b, String what) {
            this.b = b;
            this.what = what;
        }

        FaasmException bad(String why) {
            return new FaasmException("Cannot prepare " + what + " for the wasmtime engine: " + why, what,
                    "give the py_func.wasm this project builds, or run on the engine chicory");
        }

        int b() {
            if (pos >= b.length) {
                throw bad("it ends in the middle of a section");
            }
            return b[pos++] & 0xFF;
        }

        long u32le() {
            return b() | (b() << 8) | (b() << 16) | ((long) b() << 24);
        }

        /** An unsigned LEB128. */
        long leb() {
            return leb128(false);
        }

        /** A signed LEB128 (an {@code i32.const}'s immediate). */
        long sleb() {
            return leb128(true);
        }

        private long leb128(boolean signed) {
            long result = 0;
            int shift = 0;
            int x;
            do {
                x = b();
                result |= (long) (x & 0x7F) << shift;
                shift += 7;
            } while ((x & 0x80) != 0 && shift < 64);
            if (signed && shift < 64 && (x & 0x40) != 0) {
                result |= -1L << shift;
            }
            return result;
        }

        String string() {
            int n = (int) leb();
            if (n < 0 || pos + n > b.length) {
                throw bad("a name runs past its section");
            }
            String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        void name() {
            int n = (int) leb();
            if (n < 0 || pos + n > b.length) {
                throw bad("a name runs past its section");
            }
            pos += n;
        }

        /** Skips a constant expression up to its {@code end}. */
        void constExpr() {
            while (true) {
                int op = b();
                switch (op) {
                    case 0x0B -> {
                        return;
                    }
                    case 0x41, 0x42, 0x23, 0xD2 -> leb();
                    case 0x43 -> pos += 4;
                    case 0x44 -> pos += 8;
                    case 0xD0 -> b();
                    case 0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E -> {
                        // extended constant arithmetic: no immediates
                    }
                    default -> throw bad("a global's initial value uses opcode 0x" + Integer.toHexString(op));
                }
            }
        }
    }
}
