package org.faasm.python.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Fetches and verifies the pinned sources (CPython and zlib): a local archive, the content-addressed
 * cache or a download, checked against the pinned sha256 every time.
 *
 * @since 0.1.0
 */
@Mojo(name = "sources", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class SourcesMojo extends AbstractCPythonMojo {
    @Override
    protected void run() {
        builder().cpythonSource();
        builder().zlibSource();
    }
}
