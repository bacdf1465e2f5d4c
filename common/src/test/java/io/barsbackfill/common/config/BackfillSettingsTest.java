package io.barsbackfill.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings out of range stop start-up naming them as users set them; nothing is clamped silently. */
class BackfillSettingsTest {

    @Test
    void defaultsPass() {
        assertThat(BackfillSettings.check(config(Map.of())).problems()).isEmpty();
    }

    @Test
    void everyOutOfRangeSettingIsNamedByItsVariableAndProperty() {
        BackfillConfig config = config(Map.of(
                "backfill.alpaca.page-limit", "10001",
                "backfill.alpaca.max-pages", "0",
                "backfill.rate-limit-per-minute", "0",
                "backfill.alpaca.read-timeout", "0s",
                "backfill.queue.lease-duration", "PT-1S"));

        assertThat(BackfillSettings.check(config).problems())
                .containsExactlyInAnyOrder(
                        "BACKFILL_RATE_LIMIT_PER_MINUTE (backfill.rate-limit-per-minute) must be at least 1 (got 0)",
                        "BACKFILL_ALPACA_PAGE_LIMIT (backfill.alpaca.page-limit) must be 1..10000 (got 10001)",
                        "BACKFILL_ALPACA_MAX_PAGES (backfill.alpaca.max-pages) must be at least 1 (got 0)",
                        "BACKFILL_ALPACA_READ_TIMEOUT (backfill.alpaca.read-timeout) must be a duration above zero"
                                + " (got PT0S)",
                        "BACKFILL_QUEUE_LEASE_DURATION (backfill.queue.lease-duration) must be a duration above zero"
                                + " (got PT-1S)");
        assertThatThrownBy(() -> BackfillSettings.check(config).orFail())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("refusing to start: ")
                .hasMessageContaining("BACKFILL_ALPACA_PAGE_LIMIT");
    }

    @Test
    void theDefaultProviderAndMassivesAdjustmentAreOneOfTheirSets() {
        assertThat(BackfillSettings.check(config(Map.of(
                                "backfill.provider", "polygon",
                                "backfill.massive.adjustment", "dividend")))
                        .problems())
                .containsExactlyInAnyOrder(
                        "BACKFILL_PROVIDER (backfill.provider) must be one of alpaca massive (got polygon)",
                        "BACKFILL_MASSIVE_ADJUSTMENT (backfill.massive.adjustment) must be one of raw split"
                                + " (got dividend)");
        BackfillConfig massive = config(Map.of("backfill.provider", "massive", "backfill.massive.adjustment", "split"));
        assertThat(BackfillSettings.check(massive).problems()).isEmpty();
        assertThat(massive.defaultSeries()).hasToString("massive/sip/split");
        assertThat(massive.defaultSeries("alpaca")).hasToString("alpaca/iex/raw");
    }

    @Test
    void massiveSettingsOutOfRangeAreNamedAndItsKeyNever() {
        BackfillConfig config = config(Map.of(
                "backfill.massive.api-key", "s3cret-massive-key",
                "backfill.massive.page-limit", "50001",
                "backfill.massive.rate-limit-per-minute", "0",
                "backfill.massive.max-pages", "0",
                "backfill.massive.adjustment", "dividend",
                "backfill.massive.base-url", "api.massive.com"));

        assertThat(BackfillSettings.check(config).problems())
                .containsExactlyInAnyOrder(
                        "BACKFILL_MASSIVE_RATE_LIMIT_PER_MINUTE (backfill.massive.rate-limit-per-minute) must be at"
                                + " least 1 (got 0)",
                        "BACKFILL_MASSIVE_PAGE_LIMIT (backfill.massive.page-limit) must be 1..50000 (got 50001)",
                        "BACKFILL_MASSIVE_MAX_PAGES (backfill.massive.max-pages) must be at least 1 (got 0)",
                        "BACKFILL_MASSIVE_ADJUSTMENT (backfill.massive.adjustment) must be one of raw split"
                                + " (got dividend)",
                        "BACKFILL_MASSIVE_BASE_URL (backfill.massive.base-url) must be an absolute http or https URL");
        assertThat(String.join(" ", BackfillSettings.check(config).problems())).doesNotContain("s3cret");
        assertThat(BackfillSettings.check(config(Map.of("backfill.massive.page-limit", "50000")))
                        .problems())
                .isEmpty();
        assertThat(config(Map.of()).rateLimitPerMinute("massive"))
                .as("the free plan")
                .isEqualTo(5);
        assertThat(config(Map.of()).rateLimitPerMinute("alpaca")).isEqualTo(200);
    }

    @Test
    void theEdgesOfEachRangeAreAllowed() {
        assertThat(BackfillSettings.check(config(Map.of(
                                "backfill.alpaca.page-limit", "1",
                                "backfill.alpaca.max-pages", "1",
                                "backfill.rate-limit-per-minute", "1")))
                        .problems())
                .isEmpty();
        assertThat(BackfillSettings.check(config(Map.of("backfill.alpaca.page-limit", "10000")))
                        .problems())
                .isEmpty();
    }

    @Test
    void databaseTimeoutsAreBoundedAndALockWaitEndsBeforeTheStatementsBound() {
        assertThat(BackfillSettings.check(config(Map.of(
                                "backfill.database.statement-timeout", "0s",
                                "backfill.database.idle-in-transaction-timeout", "2d",
                                "backfill.database.operator-statement-timeout", "PT0.0005S")))
                        .problems())
                .containsExactly(
                        "BACKFILL_DATABASE_STATEMENT_TIMEOUT (backfill.database.statement-timeout) must be"
                                + " PT0.001S..PT24H (got PT0S)",
                        "BACKFILL_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT"
                                + " (backfill.database.idle-in-transaction-timeout) must be PT0.001S..PT24H"
                                + " (got PT48H)",
                        "BACKFILL_DATABASE_OPERATOR_STATEMENT_TIMEOUT (backfill.database.operator-statement-timeout)"
                                + " must be PT0.001S..PT24H (got PT0.0005S)",
                        "BACKFILL_DATABASE_STATEMENT_TIMEOUT (backfill.database.statement-timeout) PT0S must not be"
                                + " shorter than BACKFILL_DATABASE_LOCK_TIMEOUT (backfill.database.lock-timeout)"
                                + " PT10S");

        assertThat(BackfillSettings.check(config(Map.of(
                                "backfill.database.statement-timeout", "5s",
                                "backfill.database.operator-statement-timeout", "2s")))
                        .problems())
                .containsExactly(
                        "BACKFILL_DATABASE_STATEMENT_TIMEOUT (backfill.database.statement-timeout) PT5S must not be"
                                + " shorter than BACKFILL_DATABASE_LOCK_TIMEOUT (backfill.database.lock-timeout) PT10S",
                        "BACKFILL_DATABASE_OPERATOR_STATEMENT_TIMEOUT (backfill.database.operator-statement-timeout)"
                                + " PT2S must not be shorter than BACKFILL_DATABASE_STATEMENT_TIMEOUT"
                                + " (backfill.database.statement-timeout) PT5S");

        assertThat(BackfillSettings.check(config(Map.of(
                                "backfill.database.statement-timeout", "1ms",
                                "backfill.database.lock-timeout", "1ms",
                                "backfill.database.idle-in-transaction-timeout", "1d",
                                "backfill.database.operator-statement-timeout", "1d")))
                        .problems())
                .as("the edges, and a lock timeout equal to the statement timeout")
                .isEmpty();
    }

    /** The real mapping with its defaults, read from {@code properties} as Quarkus would. */
    static BackfillConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(BackfillConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(BackfillConfig.class);
    }
}
