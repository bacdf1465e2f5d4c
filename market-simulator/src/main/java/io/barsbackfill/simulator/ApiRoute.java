package io.barsbackfill.simulator;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which provider endpoint a path names, with the symbol it names (none for Alpaca's multi-symbol endpoint) and,
 * for Massive's aggregates, the decoded path segments after the ticker: multiplier, timespan, from, to.
 */
record ApiRoute(MarketSimulator.Endpoint endpoint, Optional<String> symbol, List<String> segments) {

    private static final String ALPACA_MULTI_SYMBOL = "/v2/stocks/bars";
    private static final Pattern ALPACA_SINGLE_SYMBOL = Pattern.compile("/v2/stocks/([^/]+)/bars");
    private static final Pattern MASSIVE_AGGREGATES =
            Pattern.compile("/v2/aggs/ticker/([^/]+)/range/([^/]+)/([^/]+)/([^/]+)/([^/]+)");
    private static final Pattern MASSIVE_TICKERS = Pattern.compile("/v3/reference/tickers/([^/]+)");

    /** Empty when the path is not a provider endpoint; {@code rawPath} is still URL-encoded. */
    static Optional<ApiRoute> match(String rawPath) {
        if (ALPACA_MULTI_SYMBOL.equals(rawPath)) {
            return Optional.of(new ApiRoute(MarketSimulator.Endpoint.ALPACA_BARS, Optional.empty(), List.of()));
        }
        Matcher m = ALPACA_SINGLE_SYMBOL.matcher(rawPath);
        if (m.matches()) {
            return Optional.of(new ApiRoute(MarketSimulator.Endpoint.ALPACA_BARS, symbol(m), List.of()));
        }
        m = MASSIVE_AGGREGATES.matcher(rawPath);
        if (m.matches()) {
            List<String> segments = List.of(segment(m, 2), segment(m, 3), segment(m, 4), segment(m, 5));
            return Optional.of(new ApiRoute(MarketSimulator.Endpoint.MASSIVE_AGGREGATES, symbol(m), segments));
        }
        m = MASSIVE_TICKERS.matcher(rawPath);
        if (m.matches()) {
            return Optional.of(new ApiRoute(MarketSimulator.Endpoint.MASSIVE_TICKERS, symbol(m), List.of()));
        }
        return Optional.empty();
    }

    Provider provider() {
        return endpoint.provider();
    }

    private static Optional<String> symbol(Matcher m) {
        return Optional.of(segment(m, 1));
    }

    private static String segment(Matcher m, int group) {
        // a '+' in a path segment is literal, unlike in a query string
        return QueryString.decode(m.group(group).replace("+", "%2B"));
    }
}
