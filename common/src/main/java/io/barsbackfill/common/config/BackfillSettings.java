package io.barsbackfill.common.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Stops every function's start-up when a shared {@code backfill.*} setting is out of range. */
@ApplicationScoped
public class BackfillSettings {

    void check(@Observes StartupEvent event, BackfillConfig config) {
        check(config).orFail();
    }

    /** Alpaca accepts 1 to 10,000 bars per page. */
    public static SettingsCheck check(BackfillConfig config) {
        BackfillConfig.Alpaca alpaca = config.alpaca();
        BackfillConfig.Gate gate = config.gate();
        BackfillConfig.Queue queue = config.queue();
        return new SettingsCheck()
                .atLeast("backfill.rate-limit-per-minute", config.rateLimitPerMinute(), 1)
                .between("backfill.alpaca.page-limit", alpaca.pageLimit(), 1, 10_000)
                .atLeast("backfill.alpaca.max-pages", alpaca.maxPages(), 1)
                .atLeast("backfill.alpaca.max-attempts", alpaca.maxAttempts(), 1)
                .positive("backfill.alpaca.retry-base-delay", alpaca.retryBaseDelay())
                .positive("backfill.alpaca.max-rate-limit-wait", alpaca.maxRateLimitWait())
                .positive("backfill.alpaca.connect-timeout", alpaca.connectTimeout())
                .positive("backfill.alpaca.read-timeout", alpaca.readTimeout())
                .positive("backfill.alpaca.request-deadline", alpaca.requestDeadline())
                .atLeast("backfill.gate.failure-threshold", gate.failureThreshold(), 1)
                .positive("backfill.gate.probe-interval", gate.probeInterval())
                .positive("backfill.gate.probe-interval-max", gate.probeIntervalMax())
                .positive("backfill.queue.lease-duration", queue.leaseDuration())
                .atLeast("backfill.queue.max-attempts", queue.maxAttempts(), 1)
                .positive("backfill.queue.backoff-base", queue.backoffBase())
                .positive("backfill.queue.backoff-max", queue.backoffMax());
    }
}
