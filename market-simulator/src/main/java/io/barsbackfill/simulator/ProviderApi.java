package io.barsbackfill.simulator;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * What differs between the providers the simulator speaks: keys, error bodies, rate budget and headers, and the
 * answers themselves. {@link ApiHandler} runs the same fault sequence for both.
 */
abstract class ProviderApi {

    private final Provider provider;
    private final RateLimiter rateLimiter;

    ProviderApi(Provider provider, RateLimiter rateLimiter) {
        this.provider = provider;
        this.rateLimiter = rateLimiter;
    }

    final Provider provider() {
        return provider;
    }

    /** This provider's own budget. */
    final RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The rate-limit headers every answer of this provider carries (none for a provider that sends none). */
    abstract Map<String, String> rateHeaders(RateLimiter.Status budget);

    /** The provider's error body for {@code status}. */
    abstract byte[] error(int status, String message);

    /** The body of a 429. */
    abstract byte[] tooManyRequests();

    /** Why the request's credentials are refused (a 401), or empty when they are accepted. */
    abstract Optional<String> refusal(Headers headers, String rawQuery, boolean revoked);

    /** The 200 body of a request that passed the faults. Refusals throw {@link ApiException}. */
    abstract byte[] answer(ProviderRequest request);

    /** Compares in constant time: keys are secrets. */
    static boolean sameKey(String presented, String expected) {
        return presented != null
                && MessageDigest.isEqual(
                        presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
