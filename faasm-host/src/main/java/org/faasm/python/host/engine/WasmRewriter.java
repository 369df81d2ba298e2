package org.faasm.python.host.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.faasm.python.host.FaasmException;

/**
 * Rewrites a wasm module so that a native engine can run it under the host's rules: its one
 * defined memory becomes an import ({@code env.memory}), so the host makes the memory with the
 * limit it wants (memory) and the compiled code does not depend on the limit; and each
 * mutable global it defines is exported as {@code __faasm_global_<index>}, so a zygote snapshot can
 * read and restore them. Nothing else changes: code, data and the other exports keep their
 * indices, since an imported memory takes the index the defined one had.
 */
final class WasmRewriter {
    /** The export name of mutable global {@code i}. */
    static String globalExport(int i) {
        return "__faasm_global_" + i;
    }

    /** What the rewrite found: the new module, the memory's initial pages and the mutable globals exported. */
    record Rewritten(byte[] wasm, int initialPages, List<Integer> mutableGlobals) {}

    private static final int IMPORT = 2;
    private static final int MEMORY = 5;
    private static final int GLOBAL = 6;
    private static final int EXPORT = 7;

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
                    case 0 -> im.leb();
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
        newImports.write(0); // no maximum: the host's memory sets it
        leb(newImports, initial);

        List<Integer> mutable = new ArrayList<>();
        int globalIndex = ids.indexOf(GLOBAL);
        if (globalIndex >= 0) {
            Reader g = new Reader(sections.get(globalIndex), what);
            long count = g.leb();
            for (int i = 0; i < count; i++) {
                g.b();
                if (g.b() == 1) {
                    mutable.add(importedGlobals + i);
                }
                g.constExpr();
            }
        }
        int exportIndex = ids.indexOf(EXPORT);
        ByteArrayOutputStream newExports = new ByteArrayOutputStream();
        byte[] oldExports = exportIndex < 0 ? new byte[] {0} : sections.get(exportIndex);
        Reader ex = new Reader(oldExports, what);
        long exportCount = ex.leb();
        leb(newExports, exportCount + mutable.size());
        newExports.write(oldExports, ex.pos, oldExports.length - ex.pos);
        for (int i : mutable) {
            name(newExports, globalExport(i));
            newExports.write(3);
            leb(newExports, i);
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
        return new Rewritten(out.toByteArray(), initial, List.copyOf(mutable));
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

        long leb() {
            long result = 0;
            int shift = 0;
            int x;
            do {
                x = b();
                result |= (long) (x & 0x7F) << shift;
                shift += 7;
            } while ((x & 0x80) != 0 && shift < 64);
            return result;
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
