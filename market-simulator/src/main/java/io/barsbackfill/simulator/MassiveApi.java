package io.barsbackfill.simulator;

import com.sun.net.httpserver.Headers;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Massive's side: the key as {@code Authorization: Bearer} only (a request naming {@code apiKey} in its query
 * string is refused whatever it carries: keys never belong in URLs), {@code {"status":"ERROR",...}} error bodies,
 * its own rate budget and no rate-limit headers; aggregates ({@link MassiveAggregates}) and ticker details
 * ({@code /v3/reference/tickers/{ticker}}: 404 for a ticker outside the universe).
 */
final class MassiveApi extends ProviderApi {

    private static final String BEARER = "bearer ";

    private final MassiveSettings settings;
    private final Set<String> universe;
    private final MassiveAggregates aggregates;

    MassiveApi(MassiveSettings settings, Set<String> universe, RateLimiter rateLimiter, MassiveAggregates aggregates) {
        super(Provider.MASSIVE, rateLimiter);
        this.settings = settings;
        this.universe = universe;
        this.aggregates = aggregates;
    }

    @Override
    Map<String, String> rateHeaders(RateLimiter.Status budget) {
        return Map.of();
    }

    @Override
    byte[] error(int status, String message) {
        return MassiveWireFormat.error(status, message);
    }

    @Override
    byte[] tooManyRequests() {
        return MassiveWireFormat.error(
                429,
                "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to "
                        + "continue.");
    }

    @Override
    Optional<String> refusal(Headers headers, String rawQuery, boolean revoked) {
        if (QueryString.parse(rawQuery).values().containsKey("apiKey")) {
            return Optional.of("apiKey in the query string is refused: send the key as Authorization: Bearer");
        }
        String authorization = headers.getFirst("Authorization");
        if (authorization == null
                || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)
                || authorization.substring(BEARER.length()).isBlank()) {
            return Optional.of("API Key was not provided");
        }
        String key = authorization.substring(BEARER.length()).trim();
        boolean known = !revoked
                && settings.apiKey()
                        .map(expected -> ProviderApi.sameKey(key, expected))
                        .orElse(true);
        return known ? Optional.empty() : Optional.of("Unknown API Key");
    }

    @Override
    byte[] answer(ProviderRequest request) {
        if (request.route().endpoint() == MarketSimulator.Endpoint.MASSIVE_AGGREGATES) {
            return aggregates.answer(request);
        }
        String ticker = request.route().symbol().orElseThrow();
        if (!universe.contains(ticker)) {
            throw new ApiException(404, "Ticker not found.");
        }
        return PageFaults.breakBody(MassiveWireFormat.tickerDetails(ticker), request.distortion());
    }
}
