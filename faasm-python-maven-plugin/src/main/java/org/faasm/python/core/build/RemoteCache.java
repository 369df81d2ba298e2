package org.faasm.python.core.build;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A team-wide store of packed {@link BuildCache} entries (a Maven repository, in the plugin). Every
 * failure is the implementation's to report as a warning: a remote that cannot answer is a miss,
 * and a push that is refused never fails the build.
 */
public interface RemoteCache {
    /** No team cache. */
    RemoteCache NONE = new RemoteCache() {
        @Override
        public Optional<Path> fetch(String kind, String key) {
            return Optional.empty();
        }

        @Override
        public boolean pushes() {
            return false;
        }

        @Override
        public boolean has(String kind, String key) {
            return false;
        }

        @Override
        public void push(String kind, String key, Path packed) {}

        @Override
        public void evict(String kind, String key) {}
    };

    /** The packed entry {@code kind/key} as a local file (owned by the remote, read only), or empty. */
    Optional<Path> fetch(String kind, String key);

    /** Whether finished entries are to be published. */
    boolean pushes();

    /** Whether the repository pushed to already has this entry (a key is never overwritten). */
    boolean has(String kind, String key);

    /** Publishes a packed entry. */
    void push(String kind, String key, Path packed);

    /** Forgets a fetched entry that failed verification, so the next build fetches it afresh. */
    void evict(String kind, String key);
}
