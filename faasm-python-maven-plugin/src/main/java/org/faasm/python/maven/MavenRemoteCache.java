package org.faasm.python.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.deployment.DeployRequest;
import org.eclipse.aether.deployment.DeploymentException;
import org.eclipse.aether.metadata.DefaultMetadata;
import org.eclipse.aether.metadata.Metadata;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.MetadataRequest;
import org.eclipse.aether.resolution.MetadataResult;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy;
import org.faasm.python.core.build.RemoteCache;
import org.faasm.python.host.FaasmException;
import org.faasm.python.host.util.FileTrees;
import org.faasm.python.host.util.Log;

/**
 * The team cache on Maven repositories: an entry {@code kind/key} is the artifact
 * {@code org.faasm.python.cache:<kind>:<key>:tar.gz}, resolved from the build's repositories with
 * Maven's own repository system (settings.xml mirrors, proxies, credentials and checksum policies
 * apply) and deployed, when pushing is on, to the repository named by {@code faasm.cache.push}.
 * Misses are not remembered, so an entry pushed later is found by the next build.
 */
final class MavenRemoteCache implements RemoteCache {
    static final String GROUP_ID = "org.faasm.python.cache";
    static final String EXTENSION = "tar.gz";

    private final RepositorySystem system;
    private final RepositorySystemSession session;
    private final List<RemoteRepository> repositories;
    private final RemoteRepository push;
    private final Log log;

    MavenRemoteCache(RepositorySystem system, RepositorySystemSession session, List<RemoteRepository> repositories, RemoteRepository push,
            Log log) {
        DefaultRepositorySystemSession s = new DefaultRepositorySystemSession(session);
        // a miss is asked again next time: a teammate's CI may have pushed the entry since
        s.setResolutionErrorPolicy(new SimpleResolutionErrorPolicy(false, false));
        this.system = system;
        this.session = s;
        this.repositories = List.copyOf(repositories);
        this.push = push;
        this.log = log;
    }

    /**
     * The repository that {@code faasm.cache.push} names: {@code <id>::<url>} (credentials from the
     * settings.xml {@code <server>} with that id), or the id of one of the build's repositories.
     */
    static RemoteRepository pushRepository(String spec, RepositorySystemSession session, List<RemoteRepository> buildRepositories) {
        String where = "-Dfaasm.cache.push / <cachePush>";
        String what = "give <repository id>::<url>, e.g. team-cache::https://repo.example.org/faasm-cache, or the id of a repository"
                + " of this build";
        String s = spec.trim();
        RemoteRepository.Builder b;
        if (s.contains("::")) {
            String[] parts = s.split("::", -1);
            if (parts.length != 2 || !parts[0].matches("[A-Za-z0-9_.-]+") || !parts[1].matches("(https?|file)://\\S+")) {
                throw new FaasmException("faasm.cache.push = '" + spec + "' is not <repository id>::<url>", where, what);
            }
            b = new RemoteRepository.Builder(parts[0], "default", parts[1]);
            RemoteRepository bare = b.build();
            b.setAuthentication(session.getAuthenticationSelector().getAuthentication(bare));
            b.setProxy(session.getProxySelector().getProxy(bare));
        } else {
            if (!s.matches("[A-Za-z0-9_.-]+")) {
                throw new FaasmException("faasm.cache.push = '" + spec + "' is neither <repository id>::<url> nor a repository id", where, what);
            }
            RemoteRepository found = buildRepositories.stream().filter(r -> r.getId().equals(s)).findFirst()
                    .orElseThrow(() -> new FaasmException("faasm.cache.push names the repository id '" + s + "', which is not a repository"
                            + " of this build (" + String.join(", ", buildRepositories.stream().map(RemoteRepository::getId).toList()) + ")",
                            where, what));
            b = new RemoteRepository.Builder(found);
        }
        RepositoryPolicy always = new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_ALWAYS, RepositoryPolicy.CHECKSUM_POLICY_FAIL);
        return b.setReleasePolicy(always).setSnapshotPolicy(new RepositoryPolicy(false, null, null)).build();
    }

    private static Artifact artifact(String kind, String key) {
        return new DefaultArtifact(GROUP_ID, kind, "", EXTENSION, key);
    }

    private static String coordinates(String kind, String key) {
        return GROUP_ID + ":" + kind + ":" + key + ":" + EXTENSION;
    }

    @Override
    public Optional<Path> fetch(String kind, String key) {
        if (repositories.isEmpty()) {
            return Optional.empty();
        }
        try {
            Artifact a = system.resolveArtifact(session, new ArtifactRequest(artifact(kind, key), repositories, null)).getArtifact();
            log.info("Team cache: found " + coordinates(kind, key) + " (" + Files.size(a.getFile().toPath()) / 1_000_000 + " MB)");
            return Optional.of(a.getFile().toPath());
        } catch (ArtifactResolutionException e) {
            boolean notFound = e.getResult() != null && e.getResult().getExceptions().stream().allMatch(x -> x instanceof ArtifactNotFoundException);
            if (notFound) {
                String miss = "Team cache: no " + kind + " entry for key " + key.substring(0, 12) + " in " + ids(repositories)
                        + "; building locally";
                // a miss is worth a warning where a team repository is configured; with Maven Central alone it is the normal case
                if (repositories.stream().anyMatch(r -> !"central".equals(r.getId()))) {
                    log.warn(miss);
                } else {
                    log.info(miss);
                }
            } else {
                log.warn("Team cache: " + coordinates(kind, key) + " could not be resolved (" + e.getMessage() + "); building locally");
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.warn("Team cache: " + coordinates(kind, key) + " could not be resolved (" + e + "); building locally");
            return Optional.empty();
        }
    }

    @Override
    public boolean pushes() {
        return push != null;
    }

    @Override
    public boolean has(String kind, String key) {
        // read the repository's metadata afresh, into a scratch local repository: a copy cached from
        // an earlier build (or another repository of the same id) must not answer for it
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("faasm-cache-metadata");
            DefaultRepositorySystemSession s = new DefaultRepositorySystemSession(session);
            s.setLocalRepositoryManager(system.newLocalRepositoryManager(s, new LocalRepository(scratch.toFile())));
            Metadata md = new DefaultMetadata(GROUP_ID, kind, "maven-metadata.xml", Metadata.Nature.RELEASE);
            MetadataResult r = system.resolveMetadata(s, List.of(new MetadataRequest(md, push, null))).get(0);
            if (r.getMetadata() == null || r.getMetadata().getFile() == null || !r.getMetadata().getFile().isFile()) {
                return false; // no entry of this kind yet, or unreadable: the push tells which
            }
            return Files.readString(r.getMetadata().getFile().toPath()).contains("<version>" + key + "</version>");
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            if (scratch != null) {
                FileTrees.deleteRecursively(scratch);
            }
        }
    }

    @Override
    public void push(String kind, String key, Path packed) {
        try {
            long t0 = System.nanoTime();
            system.deploy(session, new DeployRequest().setRepository(push).addArtifact(artifact(kind, key).setFile(packed.toFile())));
            log.info(String.format("Team cache: pushed %s to %s (%s) in %.1f s", coordinates(kind, key), push.getId(), push.getUrl(),
                    (System.nanoTime() - t0) / 1e9));
        } catch (DeploymentException | RuntimeException e) {
            log.warn("Team cache: pushing " + coordinates(kind, key) + " to repository '" + push.getId() + "' (" + push.getUrl()
                    + ") failed: " + e.getMessage() + ". The local build is complete and cached; check the repository's credentials"
                    + " (settings.xml <server> '" + push.getId() + "') and that it accepts uploads");
        }
    }

    @Override
    public void evict(String kind, String key) {
        Path local = session.getLocalRepository().getBasedir().toPath()
                .resolve(session.getLocalRepositoryManager().getPathForLocalArtifact(artifact(kind, key)));
        try {
            Files.deleteIfExists(local);
        } catch (IOException e) {
            log.warn("Team cache: cannot delete " + local + ": " + e.getMessage());
        }
    }

    private static String ids(List<RemoteRepository> repos) {
        return String.join(", ", repos.stream().map(RemoteRepository::getId).toList());
    }
}
