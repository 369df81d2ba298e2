package org.faasm.python.core.sources;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Python package index's simple API (PEP 503), used to find where an index keeps a release file:
 * a pinned URL {@code index:<project>} stands for the file of that name in the project's page of the
 * index, found as pip finds it (the index is the module's {@code <index>}, else {@link #PYPI}, pip's
 * default). The file is then downloaded and verified against its pin like any other.
 */
public final class PackageIndex {
    /** The prefix of a pinned URL that names a project on the package index. */
    public static final String SCHEME = "index:";
    /**
     * pip's default index ({@code pip._internal.models.index.PyPI.simple_url}), known without a build
     * python, so that archives on it are resolved before anything is built.
     */
    public static final String PYPI = "https://pypi.org/simple";
    private static final Pattern ANCHOR = Pattern.compile("<a\\s[^>]*href=\"([^\"]+)\"[^>]*>([^<]+)</a>", Pattern.CASE_INSENSITIVE);

    private final Supplier<String> indexUrl;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();
    private String resolvedIndex;

    /** @param indexUrl the simple index's base URL, asked for only when an {@code index:} URL is used */
    public PackageIndex(Supplier<String> indexUrl) {
        this.indexUrl = indexUrl;
    }

    /** The URL to download: {@code url} itself, or for {@code index:<project>} the index's URL of {@code fileName}. */
    public String expand(String url, String fileName) throws IOException {
        if (!url.startsWith(SCHEME)) {
            return url;
        }
        String project = normalise(url.substring(SCHEME.length()));
        if (resolvedIndex == null) {
            resolvedIndex = indexUrl.get();
        }
        String base = resolvedIndex.endsWith("/") ? resolvedIndex : resolvedIndex + "/";
        URI page = URI.create(base + project + "/");
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(page).timeout(Duration.ofMinutes(1))
                    .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + page, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("the package index answered HTTP " + response.statusCode() + " for " + page);
        }
        String href = fileHref(response.body(), fileName);
        if (href == null) {
            throw new IOException("the package index lists no " + fileName + " at " + page);
        }
        return page.resolve(href).toString();
    }

    /** The href of the anchor whose text is fileName, without its #fragment; or null. */
    static String fileHref(String html, String fileName) {
        Matcher m = ANCHOR.matcher(html);
        while (m.find()) {
            if (m.group(2).trim().equals(fileName)) {
                String href = m.group(1).replace("&amp;", "&");
                int hash = href.indexOf('#');
                return hash < 0 ? href : href.substring(0, hash);
            }
        }
        return null;
    }

    /** PEP 503's normalised project name. */
    static String normalise(String project) {
        return project.trim().toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }
}
