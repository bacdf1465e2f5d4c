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
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/** Waits (without blocking a thread) for a token of the shared provider budget, up to a bound. */
@ApplicationScoped
public class ProviderRateLimiter {

    private static final Logger LOG = Logger.getLogger(ProviderRateLimiter.class);
    private static final Duration MAX_SINGLE_WAIT = Duration.ofSeconds(5);

    private final RateLimitRepository repository;
    private final int perMinute;
    private final Clock clock;

    /** The rate the shared budget ran at when this instance last took from it, for the mismatch report. */
    private final AtomicInteger reported = new AtomicInteger();

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
        return repository.take(AlpacaBarsClient.PROVIDER, perMinute).chain(take -> {
            report(take);
            Duration wait = take.pause();
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

    /**
     * Logs, at the first take and whenever the shared rate changes, when it differs from this instance's R: the
     * smallest configured R wins, so an operator sees which instances disagree and at what figures.
     */
    private void report(RateLimitRepository.Take take) {
        int shared = take.perMinute();
        if (reported.getAndSet(shared) == shared) {
            return;
        }
        if (shared < perMinute) {
            LOG.warnf(
                    "shared provider budget runs at %d requests/min, the smallest BACKFILL_RATE_LIMIT_PER_MINUTE"
                            + " of the instances using it; this instance is configured with %d",
                    shared, perMinute);
        } else if (take.wasPerMinute() > perMinute) {
            LOG.warnf(
                    "lowered the shared provider budget from %d to %d requests/min: this instance's"
                            + " BACKFILL_RATE_LIMIT_PER_MINUTE is %d, another instance set %d",
                    take.wasPerMinute(), shared, perMinute, take.wasPerMinute());
        }
    }

    /** This instance's {@code backfill.rate-limit-per-minute}. */
    public int configuredPerMinute() {
        return perMinute;
    }
}
