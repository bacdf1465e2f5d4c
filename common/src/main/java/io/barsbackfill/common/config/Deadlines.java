package io.barsbackfill.common.config;

import io.barsbackfill.common.repository.RateLimitRepository;
import java.time.Duration;
import java.util.Optional;

/**
 * The relations between deadlines (docs/architecture.md, "Deadlines"): dispatch timeout ≥ lease duration > one
 * page's worst case. One mechanism for every function: each checks the relations whose settings it reads (the
 * fetchers the lease against a page, the orchestrator also its dispatch timeout against the lease).
 */
public final class Deadlines {

    private Deadlines() {}

    /**
     * The longest one page can keep a fetcher from extending its leases: one wait for the shared budget, every
     * attempt running into the request deadline, and the retry delays between them at their ceiling.
     */
    public static Duration pageWorstCase(BackfillConfig.Alpaca alpaca) {
        return alpaca.maxRateLimitWait()
                .plus(alpaca.requestDeadline().multipliedBy(Math.max(alpaca.maxAttempts(), 1)))
                .plus(retryDelays(alpaca));
    }

    /** The delays before attempts 2..n at their ceiling, base·2^(n-1) (ProviderCalls' backoff). */
    static Duration retryDelays(BackfillConfig.Alpaca alpaca) {
        Duration sum = Duration.ZERO;
        for (int attempt = 1; attempt < alpaca.maxAttempts(); attempt++) {
            sum = sum.plus(alpaca.retryBaseDelay().multipliedBy(1L << Math.min(attempt - 1, 10)));
        }
        return sum;
    }

    /** How {@link #pageWorstCase} is made up, in the settings' names, for the message. */
    static String pageWorstCaseTerms(BackfillConfig.Alpaca alpaca) {
        return "one page's worst case " + pageWorstCase(alpaca) + " = BACKFILL_ALPACA_MAX_RATE_LIMIT_WAIT "
                + alpaca.maxRateLimitWait() + " + BACKFILL_ALPACA_MAX_ATTEMPTS " + alpaca.maxAttempts()
                + " x BACKFILL_ALPACA_REQUEST_DEADLINE " + alpaca.requestDeadline() + " + retry delays "
                + retryDelays(alpaca);
    }

    /** The lease outlasts one page, since every page extends it: else a slow page loses its runs. */
    public static SettingsCheck leaseOutlastsAPage(SettingsCheck check, BackfillConfig config) {
        return check.longer(
                "backfill.queue.lease-duration",
                config.queue().leaseDuration(),
                pageWorstCase(config.alpaca()),
                pageWorstCaseTerms(config.alpaca()));
    }

    /**
     * The budget alone that the last page of a dispatch may wait for: each of its {@code dispatchPages} pages takes
     * one slot of the shared budget ({@code 63/R} s), and the other dispatches in flight take theirs in turn.
     */
    public static Duration dispatchBudgetWorstCase(int maxInFlight, int dispatchPages, int perMinute) {
        return Duration.ofMillis((long) Math.ceil(
                1000.0 * RateLimitRepository.WINDOW_SECONDS * maxInFlight * dispatchPages / Math.max(perMinute, 1)));
    }

    /**
     * The dispatch timeout does not move when the fetcher extends its leases: a dispatch that waits longer for the
     * budget than the timeout has its runs released (an attempt spent) while its fetcher still works. A worst case
     * (every page full, every dispatch in flight taking its turn), so the orchestrator warns rather than refuses.
     */
    public static SettingsCheck dispatchOutlastsItsBudget(
            SettingsCheck check,
            Optional<Duration> dispatchTimeout,
            int maxInFlight,
            int dispatchPages,
            BackfillConfig config) {
        return check.notShorter(
                dispatchTimeout.isPresent()
                        ? "backfill.orchestrator.dispatch-timeout"
                        : "backfill.queue.lease-duration",
                dispatchTimeout.orElse(config.queue().leaseDuration()),
                dispatchBudgetWorstCase(maxInFlight, dispatchPages, config.rateLimitPerMinute()),
                "the budget the last page of a dispatch may wait for, "
                        + dispatchBudgetWorstCase(maxInFlight, dispatchPages, config.rateLimitPerMinute())
                        + " = BACKFILL_ORCHESTRATOR_MAX_IN_FLIGHT " + maxInFlight
                        + " x BACKFILL_ORCHESTRATOR_DISPATCH_PAGES " + dispatchPages + " x "
                        + RateLimitRepository.WINDOW_SECONDS + " s / BACKFILL_RATE_LIMIT_PER_MINUTE "
                        + config.rateLimitPerMinute());
    }

    /**
     * A dispatch timeout set shorter than the lease gives runs back (an attempt spent) while their fetcher still
     * works on them; unset, it is the lease.
     */
    public static SettingsCheck dispatchOutlastsTheLease(
            SettingsCheck check, Optional<Duration> dispatchTimeout, BackfillConfig config) {
        dispatchTimeout.ifPresent(timeout -> check.notShorter(
                "backfill.orchestrator.dispatch-timeout",
                timeout,
                config.queue().leaseDuration(),
                SettingsCheck.named("backfill.queue.lease-duration") + " "
                        + config.queue().leaseDuration()));
        return check;
    }
}
