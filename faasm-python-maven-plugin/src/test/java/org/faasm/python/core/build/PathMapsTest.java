package org.faasm.python.core.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathMapsTest {
    private static List<String> names(Map<Path, String> maps) {
        return PathMaps.ordered(maps).stream().map(Map.Entry::getValue).toList();
    }

    /** The CI reactor and a checkout in a temporary directory: other lengths, the same order once mapped. */
    @Test
    void theOrderIsTheSameWhereverTheDirectoriesAre() {
        // by length, the reactor's python directory came first, the other checkout's module directory
        Map<Path, String> reactor = PathMaps.of(Path.of("/root/.cache/faasm-python/toolchain/wasi-sysroot-0123456789abcdef"),
                PathMaps.WASI_SYSROOT, Path.of("/check/work/main/modules-module/target/w"), PathMaps.MODULE,
                Path.of("/root/.cache/faasm-python/builds/cpython-wasm-0123456789abcdef/python"), PathMaps.PYTHON);
        Map<Path, String> clone = PathMaps.of(Path.of("/tmp/c/toolchain/wasi-sysroot-0123456789abcdef"),
                PathMaps.WASI_SYSROOT, Path.of("/tmp/junit-12163500451708536871/another-checkout/modules-module/target/w"), PathMaps.MODULE,
                Path.of("/tmp/c/python"), PathMaps.PYTHON);
        assertEquals(List.of(PathMaps.PYTHON, PathMaps.MODULE, PathMaps.WASI_SYSROOT), names(reactor));
        assertEquals(names(reactor), names(clone));
    }

    /** A directory whose path begins with another's is replaced first, whatever their names. */
    @Test
    void anInnerDirectoryComesBeforeTheOneHoldingIt() {
        Map<Path, String> nested = PathMaps.of(Path.of("/p/checkout"), PathMaps.BUILD, Path.of("/p/checkout/target/cache/python"),
                PathMaps.PYTHON, Path.of("/p/checkout/target"), PathMaps.CPYTHON_BUILD, Path.of("/p/checkoutX"), PathMaps.MODULE);
        assertEquals(List.of(PathMaps.PYTHON, PathMaps.CPYTHON_BUILD, PathMaps.MODULE, PathMaps.BUILD), names(nested));
        assertEquals("/faasm/python/bin /faasm/build/cpython/x /faasm/build/y /faasm/src/module",
                PathMaps.apply("/p/checkout/target/cache/python/bin /p/checkout/target/x /p/checkout/y /p/checkoutX", nested));
    }
}
