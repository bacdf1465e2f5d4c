package io.barsbackfill.simulator;

import com.sun.net.httpserver.Headers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Alpaca's side: {@code APCA-API-KEY-ID}/{@code APCA-API-SECRET-KEY} headers (any or none accepted when the
 * settings require no keys), {@code {"message"}} error bodies and {@code X-RateLimit-*} headers on every answer.
 */
final class AlpacaApi extends ProviderApi {

    private static final long TOO_MANY_REQUESTS_CODE = 42910000L;

    private final SimulatorSettings settings;
    private final BarsEndpoint endpoint;

    AlpacaApi(SimulatorSettings settings, RateLimiter rateLimiter, BarsEndpoint endpoint) {
        super(Provider.ALPACA, rateLimiter);
        this.settings = settings;
        this.endpoint = endpoint;
    }

    @Override
    Map<String, String> rateHeaders(RateLimiter.Status budget) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-RateLimit-Limit", Integer.toString(budget.limit()));
        headers.put("X-RateLimit-Remaining", Integer.toString(budget.remaining()));
        headers.put("X-RateLimit-Reset", Long.toString(budget.resetEpochSecond()));
        return headers;
    }

    @Override
    byte[] error(int status, String message) {
        return WireFormat.error(message);
    }

    @Override
    byte[] tooManyRequests() {
        return WireFormat.error(TOO_MANY_REQUESTS_CODE, "too many requests.");
    }

    @Override
    Optional<String> refusal(Headers headers, String rawQuery, boolean revoked) {
        boolean authorized = !revoked
                && settings.keyId()
                        .map(expected -> ProviderApi.sameKey(headers.getFirst("APCA-API-KEY-ID"), expected))
                        .orElse(true)
                && settings.secretKey()
                        .map(expected -> ProviderApi.sameKey(headers.getFirst("APCA-API-SECRET-KEY"), expected))
                        .orElse(true);
        return authorized ? Optional.empty() : Optional.of("unauthorized.");
    }

    @Override
    byte[] answer(ProviderRequest request) {
        return endpoint.answer(request.params(), request.route().symbol(), request.faults(), request.distortion());
    }
}
