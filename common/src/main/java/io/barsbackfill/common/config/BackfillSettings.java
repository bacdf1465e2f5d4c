package io.barsbackfill.common.config;

import io.barsbackfill.common.domain.Series;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Stops every function's start-up when a shared {@code backfill.*} setting is out of range, and warns when the
 * lease does not outlast one page's worst case ({@link Deadlines}).
 */
@ApplicationScoped
public class BackfillSettings {

    private static final Logger LOG = Logger.getLogger(BackfillSettings.class);

    void check(@Observes StartupEvent event, BackfillConfig config) {
        check(config).orFail();
        // a warning, not a refusal: the demo and the chaos suites run short leases against a fast simulator
        relations(config).problems().forEach(p -> LOG.warnf("runs may lose their lease in a slow page: %s", p));
    }

    /** The relations between the shared settings: the lease outlasts one page's worst case. */
    public static SettingsCheck relations(BackfillConfig config) {
        return Deadlines.leaseOutlastsAPage(new SettingsCheck(), config);
    }

    /**
     * The most a 429 may block the shared budget: beyond a day a garbled header would stop fetching unnoticed
     * for longer than any alert waits.
     */
    static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    /** PostgreSQL counts its timeouts in whole milliseconds (0 turns one off); beyond a day a bound means nothing. */
    static final Duration MIN_DATABASE_TIMEOUT = Duration.ofMillis(1);

    static final Duration MAX_DATABASE_TIMEOUT = Duration.ofDays(1);

    /** Alpaca accepts 1 to 10,000 bars per page, Massive 1 to 50,000 base aggregates per request. */
    public static SettingsCheck check(BackfillConfig config) {
        BackfillConfig.Alpaca alpaca = config.alpaca();
        BackfillConfig.Massive massive = config.massive();
        BackfillConfig.Gate gate = config.gate();
        BackfillConfig.Queue queue = config.queue();
        return new SettingsCheck()
                .atLeast("backfill.rate-limit-per-minute", config.rateLimitPerMinute(), 1)
                .oneOf("backfill.provider", config.provider(), Series.PROVIDERS)
                .oneOf("backfill.massive.adjustment", massive.adjustment(), Series.adjustments(Series.MASSIVE))
                .between("backfill.alpaca.page-limit", alpaca.pageLimit(), 1, 10_000)
                .atLeast("backfill.alpaca.max-pages", alpaca.maxPages(), 1)
                .atLeast("backfill.alpaca.max-attempts", alpaca.maxAttempts(), 1)
                .positive("backfill.alpaca.retry-base-delay", alpaca.retryBaseDelay())
                .positive("backfill.alpaca.max-rate-limit-wait", alpaca.maxRateLimitWait())
                .between(
                        "backfill.alpaca.max-retry-after",
                        alpaca.maxRetryAfter(),
                        Duration.ofSeconds(1),
                        MAX_RETRY_AFTER)
                .positive("backfill.alpaca.connect-timeout", alpaca.connectTimeout())
                .positive("backfill.alpaca.read-timeout", alpaca.readTimeout())
                .positive("backfill.alpaca.request-deadline", alpaca.requestDeadline())
                .atLeast("backfill.massive.rate-limit-per-minute", massive.rateLimitPerMinute(), 1)
                .between("backfill.massive.page-limit", massive.pageLimit(), 1, 50_000)
                .atLeast("backfill.massive.max-pages", massive.maxPages(), 1)
                .url("backfill.massive.base-url", massive.baseUrl())
                .atLeast("backfill.gate.failure-threshold", gate.failureThreshold(), 1)
                .positive("backfill.gate.probe-interval", gate.probeInterval())
                .positive("backfill.gate.probe-interval-max", gate.probeIntervalMax())
                .positive("backfill.queue.lease-duration", queue.leaseDuration())
                .atLeast("backfill.queue.max-attempts", queue.maxAttempts(), 1)
                .positive("backfill.queue.backoff-base", queue.backoffBase())
                .positive("backfill.queue.backoff-max", queue.backoffMax())
                .and(database(config.database()));
    }

    /**
     * Each timeout 1 ms..1 d; a lock wait ends before the statement's bound (else the lock timeout never fires), and
     * operator actions get at least the functions' bound.
     */
    static SettingsCheck database(BackfillConfig.Database db) {
        String statement = "backfill.database.statement-timeout";
        String lock = "backfill.database.lock-timeout";
        String idle = "backfill.database.idle-in-transaction-timeout";
        String operator = "backfill.database.operator-statement-timeout";
        return new SettingsCheck()
                .between(statement, db.statementTimeout(), MIN_DATABASE_TIMEOUT, MAX_DATABASE_TIMEOUT)
                .between(lock, db.lockTimeout(), MIN_DATABASE_TIMEOUT, MAX_DATABASE_TIMEOUT)
                .between(idle, db.idleInTransactionTimeout(), MIN_DATABASE_TIMEOUT, MAX_DATABASE_TIMEOUT)
                .between(operator, db.operatorStatementTimeout(), MIN_DATABASE_TIMEOUT, MAX_DATABASE_TIMEOUT)
                .notShorter(
                        statement,
                        db.statementTimeout(),
                        db.lockTimeout(),
                        SettingsCheck.named(lock) + " " + db.lockTimeout())
                .notShorter(
                        operator,
                        db.operatorStatementTimeout(),
                        db.statementTimeout(),
                        SettingsCheck.named(statement) + " " + db.statementTimeout());
    }
}
