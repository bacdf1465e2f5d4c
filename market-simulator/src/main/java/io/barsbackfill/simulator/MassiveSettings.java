package io.barsbackfill.simulator;

import java.util.Objects;
import java.util.Optional;

/**
 * How the simulator's Massive side behaves.
 *
 * @param apiKey            when present, the only key accepted as {@code Authorization: Bearer}; when absent,
 *                          any non-blank bearer key is (a request without one is refused either way)
 * @param requestsPerMinute Massive requests allowed per wall-clock minute, a budget of its own (the free plan
 *                          allows 5), 0 for unlimited
 * @param nextUrl           whether an aggregates answer cut by its {@code limit} carries a {@code next_url}
 *                          (true), or is cut silently, as real Massive sometimes does (false)
 */
public record MassiveSettings(Optional<String> apiKey, int requestsPerMinute, boolean nextUrl) {

    /** Any bearer key, unlimited, {@code next_url} on. */
    public static final MassiveSettings DEFAULTS = new MassiveSettings(Optional.empty(), 0, true);

    public MassiveSettings {
        Objects.requireNonNull(apiKey, "apiKey");
        if (apiKey.filter(String::isBlank).isPresent()) {
            throw new IllegalArgumentException("the Massive apiKey must not be blank");
        }
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException(
                    "the Massive requestsPerMinute must be >= 0 (0 = unlimited): " + requestsPerMinute);
        }
    }

    public MassiveSettings withApiKey(String apiKey) {
        return new MassiveSettings(Optional.of(apiKey), requestsPerMinute, nextUrl);
    }

    public MassiveSettings withRequestsPerMinute(int requestsPerMinute) {
        return new MassiveSettings(apiKey, requestsPerMinute, nextUrl);
    }

    public MassiveSettings withNextUrl(boolean nextUrl) {
        return new MassiveSettings(apiKey, requestsPerMinute, nextUrl);
    }

    /** The key is a secret: never print it. */
    @Override
    public String toString() {
        return "MassiveSettings[keyRequired=" + apiKey.isPresent() + ", requestsPerMinute=" + requestsPerMinute
                + ", nextUrl=" + nextUrl + "]";
    }
}
