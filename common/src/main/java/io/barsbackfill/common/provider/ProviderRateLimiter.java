package io.barsbackfill.common.provider;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.repository.RateLimitRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Waits (without blocking a thread) for a token of a provider's shared budget, up to a bound. Each provider has its
 * own budget (a row of {@code rate_limits}, made on first use) at its own configured rate.
 */
@ApplicationScoped
public class ProviderRateLimiter {

    private static final Logger LOG = Logger.getLogger(ProviderRateLimiter.class);
    private static final Duration MAX_SINGLE_WAIT = Duration.ofSeconds(5);

    private final RateLimitRepository repository;
    private final BackfillConfig config;
    private final Clock clock;

    /** The rate each shared budget ran at when this instance last took from it, for the mismatch report. */
    private final Map<String, Integer> reported = new ConcurrentHashMap<>();

    ProviderRateLimiter(RateLimitRepository repository, BackfillConfig config, Clock clock) {
        this.repository = repository;
        this.clock = clock;
        this.config = config;
    }

    /**
     * Completes once a token is taken; fails with a budget-exhausted {@link ProviderException} after {@code maxWait}.
     */
    public Uni<Void> acquire(String provider, Duration maxWait) {
        Instant now = clock.instant();
        return acquireBy(provider, now, now.plus(maxWait));
    }

    /** Blocks {@code provider}'s shared budget after a 429 (all instances wait). */
    public Uni<Void> block(String provider, Duration retryAfter) {
        return repository.block(provider, retryAfter);
    }

    private Uni<Void> acquireBy(String provider, Instant started, Instant deadline) {
        return repository.take(provider, configuredPerMinute(provider)).chain(take -> {
            report(provider, take);
            Duration wait = take.pause();
            if (wait.isZero()) {
                return Uni.createFrom().voidItem();
            }
            Instant now = clock.instant();
            if (now.plus(wait).isAfter(deadline)) {
                return Uni.createFrom().failure(ProviderException.budgetExhausted(Duration.between(started, now)));
            }
            Duration pause = wait.compareTo(MAX_SINGLE_WAIT) > 0 ? MAX_SINGLE_WAIT : wait;
            return Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .by(pause)
                    .chain(() -> acquireBy(provider, started, deadline));
        });
    }

    /**
     * Logs, at the first take and whenever the shared rate changes, when it differs from this instance's R: the
     * smallest configured R wins, so an operator sees which instances disagree and at what figures.
     */
    private void report(String provider, RateLimitRepository.Take take) {
        int shared = take.perMinute();
        Integer before = reported.put(provider, shared);
        if (before != null && before == shared) {
            return;
        }
        int perMinute = configuredPerMinute(provider);
        String setting = Series.MASSIVE.equals(provider)
                ? "BACKFILL_MASSIVE_RATE_LIMIT_PER_MINUTE"
                : "BACKFILL_RATE_LIMIT_PER_MINUTE";
        if (shared < perMinute) {
            LOG.warnf(
                    "shared %s budget runs at %d requests/min, the smallest %s of the instances using it;"
                            + " this instance is configured with %d",
                    provider, shared, setting, perMinute);
        } else if (take.wasPerMinute() > perMinute) {
            LOG.warnf(
                    "lowered the shared %s budget from %d to %d requests/min: this instance's %s is %d,"
                            + " another instance set %d",
                    provider, take.wasPerMinute(), shared, setting, perMinute, take.wasPerMinute());
        }
    }

    /** This instance's configured rate for {@code provider} ({@link BackfillConfig#rateLimitPerMinute(String)}). */
    public int configuredPerMinute(String provider) {
        return config.rateLimitPerMinute(provider);
    }
}
