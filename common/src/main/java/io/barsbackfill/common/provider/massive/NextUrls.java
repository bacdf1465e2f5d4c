package io.barsbackfill.common.provider.massive;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.provider.ProviderException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code next_url} as a request we are willing to send: absolute, on the configured base URL's scheme, host and
 * port (the bearer key goes along, so never elsewhere), naming the aggregates of the ticker asked for. Anything
 * else is a malformed answer. A key in its query is dropped: keys travel in the header only. The URL itself never
 * appears in a message.
 */
final class NextUrls {

    private final URI base;
    private final String basePath;

    NextUrls(URI base) {
        this.base = base;
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** The parts of the aggregates request a next_url names. */
    record Next(String ticker, String multiplier, String timespan, String from, String to, Map<String, String> query) {}

    Next parse(String nextUrl, Ticker ticker) {
        URI uri;
        try {
            uri = new URI(nextUrl);
        } catch (URISyntaxException e) {
            throw malformed("is not a URL");
        }
        if (!uri.isAbsolute()
                || !Objects.equals(lower(uri.getScheme()), lower(base.getScheme()))
                || !Objects.equals(lower(uri.getHost()), lower(base.getHost()))
                || port(uri) != port(base)) {
            throw malformed("points elsewhere than the configured base URL's host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.startsWith(basePath + "/")) {
            throw malformed("points outside the configured base URL");
        }
        List<String> segments = List.of(path.substring(basePath.length() + 1).split("/", -1));
        // v2 aggs ticker {ticker} range {multiplier} {timespan} {from} {to}
        if (segments.size() != 9
                || !segments.get(0).equals("v2")
                || !segments.get(1).equals("aggs")
                || !segments.get(2).equals("ticker")
                || !segments.get(4).equals("range")
                || !decode(segments.get(3)).equals(ticker.value())) {
            throw malformed("does not name the aggregates of " + ticker);
        }
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!name.isEmpty() && !name.equalsIgnoreCase("apiKey")) {
                    query.put(name, value);
                }
            }
        }
        return new Next(
                decode(segments.get(3)),
                decode(segments.get(5)),
                decode(segments.get(6)),
                decode(segments.get(7)),
                decode(segments.get(8)),
                query);
    }

    private static ProviderException malformed(String why) {
        return new ProviderException(ErrorCode.PROVIDER_MALFORMED, "provider's next_url " + why);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed("is not a URL");
        }
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
