package io.barsbackfill.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Deadlines that cannot work together (docs/architecture.md, "Deadlines": dispatch timeout ≥ lease duration >
 * one page's worst case) are named with both settings and the figures (issue 17, item 4).
 */
class DeadlinesTest {

    @Test
    void theDefaultsHoldTheRule() {
        BackfillConfig config = BackfillSettingsTest.config(Map.of());
        assertThat(Deadlines.pageWorstCase(config.alpaca()))
                .as("60 s budget wait + 4 x 50 s + 0.5 + 1 + 2 s of retry delays")
                .isEqualTo(Duration.ofMillis(263_500));
        assertThat(BackfillSettings.relations(config).problems()).isEmpty();
        assertThat(Deadlines.dispatchOutlastsTheLease(new SettingsCheck(), Optional.empty(), config)
                        .problems())
                .as("unset, the dispatch timeout is the lease")
                .isEmpty();
    }

    @Test
    void aLeaseShorterThanOnePageIsNamedWithTheTermsOfThePage() {
        BackfillConfig config = BackfillSettingsTest.config(Map.of("backfill.queue.lease-duration", "2m"));

        assertThat(BackfillSettings.relations(config).problems())
                .containsExactly("BACKFILL_QUEUE_LEASE_DURATION (backfill.queue.lease-duration) PT2M must be longer"
                        + " than one page's worst case PT4M23.5S = BACKFILL_ALPACA_MAX_RATE_LIMIT_WAIT PT1M"
                        + " + BACKFILL_ALPACA_MAX_ATTEMPTS 4 x BACKFILL_ALPACA_REQUEST_DEADLINE PT50S"
                        + " + retry delays PT3.5S");
    }

    @Test
    void aDispatchTimeoutShorterThanTheLeaseIsRefused() {
        BackfillConfig config = BackfillSettingsTest.config(Map.of());
        SettingsCheck check =
                Deadlines.dispatchOutlastsTheLease(new SettingsCheck(), Optional.of(Duration.ofMinutes(1)), config);

        assertThat(check.problems())
                .containsExactly("BACKFILL_ORCHESTRATOR_DISPATCH_TIMEOUT (backfill.orchestrator.dispatch-timeout)"
                        + " PT1M must not be shorter than BACKFILL_QUEUE_LEASE_DURATION"
                        + " (backfill.queue.lease-duration) PT5M");
        assertThatThrownBy(check::orFail)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("refusing to start: BACKFILL_ORCHESTRATOR_DISPATCH_TIMEOUT");
        assertThat(Deadlines.dispatchOutlastsTheLease(new SettingsCheck(), Optional.of(Duration.ofMinutes(5)), config)
                        .problems())
                .as("equal is allowed")
                .isEmpty();
    }

    @Test
    void aDispatchThatMayWaitLongerForTheBudgetThanItsTimeoutIsNamedWithItsTerms() {
        BackfillConfig defaults = BackfillSettingsTest.config(Map.of());
        assertThat(Deadlines.dispatchBudgetWorstCase(5, 10, 200))
                .as("5 in flight x 10 pages x 63 s / 200")
                .isEqualTo(Duration.ofMillis(15_750));
        assertThat(Deadlines.dispatchOutlastsItsBudget(new SettingsCheck(), Optional.empty(), 5, 10, defaults)
                        .problems())
                .isEmpty();

        BackfillConfig tenAMinute = BackfillSettingsTest.config(Map.of("backfill.rate-limit-per-minute", "10"));
        assertThat(Deadlines.dispatchOutlastsItsBudget(new SettingsCheck(), Optional.empty(), 5, 10, tenAMinute)
                        .problems())
                .containsExactly("BACKFILL_QUEUE_LEASE_DURATION (backfill.queue.lease-duration) PT5M must not be"
                        + " shorter than the budget the last page of a dispatch may wait for, PT5M15S ="
                        + " BACKFILL_ORCHESTRATOR_MAX_IN_FLIGHT 5 x BACKFILL_ORCHESTRATOR_DISPATCH_PAGES 10 x 63 s"
                        + " / BACKFILL_RATE_LIMIT_PER_MINUTE 10");
        assertThat(Deadlines.dispatchOutlastsItsBudget(
                                new SettingsCheck(), Optional.of(Duration.ofMinutes(6)), 5, 10, tenAMinute)
                        .problems())
                .as("a dispatch timeout of 6 m covers it")
                .isEmpty();
    }

    @Test
    void maxRetryAfterIsValidated() {
        assertThat(BackfillSettings.check(BackfillSettingsTest.config(Map.of("backfill.alpaca.max-retry-after", "2d")))
                        .problems())
                .containsExactly("BACKFILL_ALPACA_MAX_RETRY_AFTER (backfill.alpaca.max-retry-after) must be"
                        + " PT1S..PT24H (got PT48H)");
    }
}
