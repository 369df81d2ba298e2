package org.faasm.python.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;
import org.faasm.python.host.HostLimits;
import org.faasm.python.host.engine.Engines;
import org.faasm.python.host.state.GlobalState;

/**
 * The settings of the local Faasm host that {@code run} and {@code serve} share: the sysroot, the
 * user, conf flags, the limits of every call, where state is kept, preloaded modules and the engine.
 */
abstract class AbstractHostMojo extends AbstractFaasmMojo {

    /**
     * The Faasm user the function belongs to.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.user", defaultValue = "python")
    protected String user;

    /**
     * Faasm conf flags that are on, e.g. {@code PYTHON_PRELOAD}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.confFlags")
    protected List<String> confFlags;

    /**
     * The sysroot directory: built by this reactor's {@code package} goal, or unpacked from the
     * sysroot artifact. Holds {@code runtime_root/} and {@code wasm/python/py_func/function.wasm}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.sysrootDirectory", defaultValue = "${project.build.directory}/faasm-sysroot")
    protected File sysrootDirectory;

    /**
     * Seconds a run may take, chained calls included; past it the run is stopped and fails.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.timeout", defaultValue = HostLimits.Defaults.TIMEOUT)
    protected int timeout;

    /**
     * MiB of guest linear memory; past it {@code malloc} fails and Python raises {@code MemoryError}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.memory", defaultValue = HostLimits.Defaults.MEMORY)
    protected int memory;

    /**
     * How deep chained calls may nest; a deeper chain fails and {@code await_call} returns non-zero.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.chainDepth", defaultValue = HostLimits.Defaults.CHAIN_DEPTH)
    protected int chainDepth;

    /**
     * How many calls one call may chain.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.chainFanOut", defaultValue = HostLimits.Defaults.CHAIN_FAN_OUT)
    protected int chainFanOut;

    /**
     * The largest input of a call, in bytes.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.maxInputBytes", defaultValue = HostLimits.Defaults.MAX_INPUT_BYTES)
    protected int maxInputBytes;

    /**
     * The largest output of a call, in bytes.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.maxOutputBytes", defaultValue = HostLimits.Defaults.MAX_OUTPUT_BYTES)
    protected int maxOutputBytes;

    /**
     * MiB a call may keep in its {@code /tmp} (each call has its own, deleted when it ends), sparse
     * files counted at their size; past it writes fail in the guest with {@code ENOSPC}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.tmpSize", defaultValue = HostLimits.Defaults.TMP_SIZE)
    protected int tmpSize;

    /**
     * Files a call may hold open at once, like a shell's {@code ulimit -n}; past it {@code open}
     * fails in the guest with {@code EMFILE}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.maxOpenFiles", defaultValue = HostLimits.Defaults.MAX_OPEN_FILES)
    protected int maxOpenFiles;

    /**
     * MiB of state values the host holds for the run (its local copies, and the values of the
     * {@code memory} tier); a write or pull past it fails the call, naming this limit. A local copy
     * is released once pushed with {@code push_state}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.stateSize", defaultValue = HostLimits.Defaults.STATE_SIZE)
    protected int stateSize;

    /**
     * MiB of guest memory all live instances of the run hold together (a call and the calls it
     * chains); default the lower of 4096 and half the machine's memory. A chained call gets what is
     * left, at most {@code faasm.memory}; one that cannot start fails as its own failure.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.totalMemory")
    protected Integer totalMemory;

    /**
     * Where pushed state is kept: {@code memory} (for this run) or a Redis, {@code redis://host:port[/db]},
     * as Faasm keeps its global state (keys {@code <user>_<key>}), so a later run reads it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.state", defaultValue = GlobalState.MEMORY)
    protected String state;

    /**
     * Modules the zygote imports before any call (comma separated, e.g. {@code numpy,genshi.template}):
     * their import is then in the snapshot every call starts from and costs nothing per call. A
     * module that does not import fails the run before any call, showing its traceback. The
     * {@code PYTHON_PRELOAD} conf flag preloads {@code pyfaasm.core} and {@code numpy}, as Faasm's does.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.preload")
    protected List<String> preload;

    /**
     * The WebAssembly engine of the local host: {@code auto} (wasmtime where its native library
     * loads on this OS and architecture, else the pure-JVM engine; the log says which runs and why),
     * {@code wasmtime} (native code through JNI, Python at about Node's speed; fails where its library
     * does not load) or {@code chicory} (pure JVM, Endive: runs everywhere, 10-20x slower for
     * CPU-bound Python). Both give the same semantics: mounts, limits, state, snapshots.
     *
     * @since 0.1.0
     */
    @Parameter(property = "faasm.engine", defaultValue = Engines.AUTO)
    protected String engine;

    /** The limits of every call, as the parameters give them. */
    protected HostLimits limits() {
        return new HostLimits(timeout, memory, chainDepth, chainFanOut, maxInputBytes, maxOutputBytes, tmpSize, maxOpenFiles,
                stateSize, totalMemory == null ? HostLimits.defaultTotalMemoryMiB() : totalMemory);
    }
}
