package io.barsbackfill.common.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.SessionCoverage;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.Verification;
import io.barsbackfill.common.service.RunChecker.Checked;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How the first answer and the single-symbol verification of a run with a gap are settled. */
class RunCheckerTest {

    static final Slice WEEK = new Slice(Instant.parse("2024-01-08T00:00:00Z"), Instant.parse("2024-01-13T00:00:00Z"));
    static final LeasedRun RUN = new LeasedRun(
            UUID.randomUUID(), UUID.randomUUID(), Ticker.parse("AAPL").orElseThrow());
    static final Bar MONDAY = bar("2024-01-08T15:00:00Z");
    static final Bar TUESDAY = bar("2024-01-09T15:00:00Z");
    static final Bar WEDNESDAY = bar("2024-01-10T15:00:00Z");

    @Test
    void aVerificationServingTheMissingSessionsHealsTheRunWithBothAnswersBars() {
        CleanBars first = clean(MONDAY);
        Checked checked = settle(first, clean(MONDAY, TUESDAY, WEDNESDAY));

        assertThat(checked.isSettled()).isTrue();
        assertThat(checked.verification()).isEqualTo(Verification.healed);
        assertThat(checked.clean().bars()).containsExactly(MONDAY, TUESDAY, WEDNESDAY);
        assertThat(checked.coverage().missing()).hasSize(2); // Thursday and Friday
    }

    @Test
    void aVerificationServingTheSameConfirmsTheGaps() {
        Checked checked = settle(clean(MONDAY), clean(MONDAY));

        assertThat(checked.verification()).isEqualTo(Verification.confirmed);
        assertThat(checked.coverage().sessionsWithBars()).isEqualTo(1);
    }

    @Test
    void answersThatEachLackASessionTheOtherHoldsAreNotSettled() {
        Checked checked = settle(clean(MONDAY, TUESDAY), clean(MONDAY, WEDNESDAY));

        assertThat(checked.isSettled()).isFalse();
        assertThat(checked.unsettled())
                .contains("AAPL")
                .contains("lacks 1 sessions that the first answer held (first: 2024-01-09)")
                .contains("the provider's answers disagree");
    }

    private static Checked settle(CleanBars first, CleanBars second) {
        return RunChecker.settle(
                RUN, WEEK, Timeframe.h1, first, SessionCoverage.of(Timeframe.h1, WEEK, first.bars()), second);
    }

    private static CleanBars clean(Bar... bars) {
        return new CleanBars(List.of(bars), 0, null);
    }

    private static Bar bar(String ts) {
        return new Bar(Instant.parse(ts), 10, 11, 9, 10, 100, null, null);
    }
}
