package io.barsbackfill.simulator;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which bars endpoint a path names: the multi-symbol one, or the single-symbol one with its symbol. */
record BarsRoute(Optional<String> symbol) {

    private static final String MULTI_SYMBOL = "/v2/stocks/bars";
    private static final Pattern SINGLE_SYMBOL = Pattern.compile("/v2/stocks/([^/]+)/bars");

    /** Empty when the path is not a bars endpoint; {@code rawPath} is still URL-encoded. */
    static Optional<BarsRoute> match(String rawPath) {
        if (MULTI_SYMBOL.equals(rawPath)) {
            return Optional.of(new BarsRoute(Optional.empty()));
        }
        Matcher m = SINGLE_SYMBOL.matcher(rawPath);
        if (m.matches()) {
            // a '+' in a path segment is literal, unlike in a query string
            String symbol = QueryString.decode(m.group(1).replace("+", "%2B"));
            return Optional.of(new BarsRoute(Optional.of(symbol)));
        }
        return Optional.empty();
    }
}
