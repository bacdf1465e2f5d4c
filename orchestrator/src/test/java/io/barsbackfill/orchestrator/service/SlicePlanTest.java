package io.barsbackfill.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlicePlanTest {

    private static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void continuesAfterWhatIsPlannedAndStopsAtTheLimit() {
        Instant from = Instant.parse("2024-01-01T00:00:00Z");
        List<Slice> first = SlicePlan.next(Timeframe.m1, from, Instant.parse("2024-01-11T00:00:00Z"), null, LATER, 4);
        assertThat(first)
                .extracting(s -> s.from().toString())
                .containsExactly(
                        "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z", "2024-01-04T00:00:00Z");

        List<Slice> second = SlicePlan.next(
                Timeframe.m1,
                from,
                Instant.parse("2024-01-11T00:00:00Z"),
                first.get(3).to(),
                LATER,
                100);
        assertThat(second).hasSize(6).first().extracting(Slice::from).isEqualTo(Instant.parse("2024-01-05T00:00:00Z"));

        assertThat(SlicePlan.next(
                        Timeframe.m1,
                        from,
                        Instant.parse("2024-01-11T00:00:00Z"),
                        Instant.parse("2024-01-11T00:00:00Z"),
                        LATER,
                        100))
                .isEmpty();
    }

    @Test
    void aWindowEndingInsideASliceTakesTheWholeSlice() {
        assertThat(SlicePlan.next(
                        Timeframe.h1,
                        Instant.parse("2024-01-15T00:00:00Z"),
                        Instant.parse("2024-03-15T00:00:00Z"),
                        null,
                        LATER,
                        100))
                .extracting(s -> s.from() + ".." + s.to())
                .containsExactly(
                        "2024-01-01T00:00:00Z..2024-02-01T00:00:00Z",
                        "2024-02-01T00:00:00Z..2024-03-01T00:00:00Z",
                        "2024-03-01T00:00:00Z..2024-04-01T00:00:00Z");
    }

    @Test
    void aSliceEndingAfterTheHorizonWaits() {
        Instant horizon = Instant.parse("2024-03-12T08:00:00Z");
        assertThat(SlicePlan.next(Timeframe.h1, Instant.parse("2024-01-01T00:00:00Z"), null, null, horizon, 100))
                .extracting(Slice::to)
                .containsExactly(Instant.parse("2024-02-01T00:00:00Z"), Instant.parse("2024-03-01T00:00:00Z"));
        assertThat(SlicePlan.next(
                        Timeframe.h1,
                        Instant.parse("2024-01-01T00:00:00Z"),
                        Instant.parse("2024-06-01T00:00:00Z"),
                        null,
                        horizon,
                        100))
                .hasSize(2);
        assertThat(SlicePlan.count(
                        Timeframe.h1,
                        Instant.parse("2024-01-01T00:00:00Z"),
                        Instant.parse("2024-06-01T00:00:00Z"),
                        horizon))
                .isEqualTo(5);
        assertThat(SlicePlan.countReady(
                        Timeframe.h1,
                        Instant.parse("2024-01-01T00:00:00Z"),
                        Instant.parse("2024-06-01T00:00:00Z"),
                        horizon))
                .isEqualTo(2);
    }

    @Test
    void countingWhatIsReadyAgreesWithPlanningIt() {
        Random random = new Random(11);
        Instant base = Instant.parse("2000-01-01T00:00:00Z");
        for (Timeframe timeframe : Timeframe.values()) {
            for (int i = 0; i < 300; i++) {
                Instant from = base.plusSeconds(random.nextLong(26L * 365 * 86400));
                Instant to = random.nextInt(4) == 0 ? null : from.plusSeconds(1 + random.nextLong(2L * 365 * 86400));
                Instant horizon = from.plusSeconds(random.nextLong(3L * 365 * 86400));
                assertThat(SlicePlan.countReady(timeframe, from, to, horizon))
                        .as("%s %s..%s at %s", timeframe, from, to, horizon)
                        .isEqualTo(SlicePlan.next(timeframe, from, to, null, horizon, Integer.MAX_VALUE)
                                .size());
            }
        }
    }
}
