package io.barsbackfill.common.service;

import io.barsbackfill.common.client.AlpacaBarsClient;
import io.barsbackfill.common.client.ProviderException;
import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.repository.RateLimitRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Waits (without blocking a thread) for a token of the shared provider budget, up to a bound. */
@ApplicationScoped
public class ProviderRateLimiter {

    private static final Duration MAX_SINGLE_WAIT = Duration.ofSeconds(5);

    private final RateLimitRepository repository;
    private final int perMinute;
    private final Clock clock;

    ProviderRateLimiter(RateLimitRepository repository, BackfillConfig config, Clock clock) {
        this.repository = repository;
        this.clock = clock;
        this.perMinute = config.rateLimitPerMinute();
    }

    /**
     * Completes once a token is taken; fails with a budget-exhausted {@link ProviderException} after {@code maxWait}.
     */
    public Uni<Void> acquire(Duration maxWait) {
        Instant now = clock.instant();
        return acquireBy(now, now.plus(maxWait));
    }

    /** Blocks the shared budget after a 429 (all instances wait). */
    public Uni<Void> block(Duration retryAfter) {
        return repository.block(AlpacaBarsClient.PROVIDER, retryAfter);
    }

    private Uni<Void> acquireBy(Instant started, Instant deadline) {
        return repository.take(AlpacaBarsClient.PROVIDER, perMinute).chain(wait -> {
            if (wait.isZero()) {
                return Uni.createFrom().voidItem();
            }
            Instant now = clock.instant();
            if (now.plus(wait).isAfter(deadline)) {
                return Uni.createFrom().failure(ProviderException.budgetExhausted(Duration.between(started, now)));
            }
            Duration pause = wait.compareTo(MAX_SINGLE_WAIT) > 0 ? MAX_SINGLE_WAIT : wait;
            return Uni.createFrom().voidItem().onItem().delayIt().by(pause).chain(() -> acquireBy(started, deadline));
        });
    }
}
