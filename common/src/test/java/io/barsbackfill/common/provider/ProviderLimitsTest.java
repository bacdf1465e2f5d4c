package io.barsbackfill.common.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A provider that counts base aggregates (Massive) answers a request asking for more than its limit with gaps, not
 * an error: no window may hold more base aggregates than the limit, whatever the timeframe and the range, and the
 * windows cover the range exactly, in order.
 */
class ProviderLimitsTest {

    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final Slice TWO_YEARS =
            new Slice(Instant.parse("2024-01-01T05:00:00Z"), Instant.parse("2026-01-10T05:00:00Z"));

    @Test
    void noWindowHoldsMoreBaseAggregatesThanTheLimitForAnyTimeframe() {
        for (int limit : List.of(50_000, 20_000, 960, 959, 500, 7, 1)) {
            ProviderLimits limits = new ProviderLimits(1, limit, limit);
            for (Timeframe timeframe : Timeframe.values()) {
                Slice range = limit < 100 && !daily(timeframe) ? firstWeekOf(TWO_YEARS) : TWO_YEARS;
                List<Slice> windows = limits.windows(timeframe, range);
                assertCovers(windows, range);
                for (Slice w : windows) {
                    assertThat(baseAggregates(timeframe, w))
                            .as("%s limit %d window %s", timeframe, limit, w)
                            .isLessThanOrEqualTo(limit);
                }
            }
        }
    }

    @Test
    void aLongDailyRangeFitsOneRequestAndOnlyAVeryLongOneIsCut() {
        Slice century = new Slice(Instant.parse("2000-01-03T05:00:00Z"), Instant.parse("2026-01-10T05:00:00Z"));
        assertThat(new ProviderLimits(1, 50_000, 50_000).windows(Timeframe.d1, century))
                .containsExactly(century);
        List<Slice> cut = new ProviderLimits(1, 5_000, 5_000).windows(Timeframe.d1, century);
        assertCovers(cut, century);
        assertThat(cut).hasSize(2); // 9,503 calendar days
        cut.forEach(w -> assertThat(baseAggregates(Timeframe.d1, w)).isLessThanOrEqualTo(5_000));
    }

    @Test
    void windowsAreAsFewAsTheLimitAllows() {
        // 2 years of h1: 510 sessions of at most 960 minutes, 52 sessions per request of 50,000 minutes
        List<Slice> windows = new ProviderLimits(1, 50_000, 50_000).windows(Timeframe.h1, TWO_YEARS);
        long sessions = CALENDAR.sessions(TWO_YEARS.from(), TWO_YEARS.to()).size();
        assertThat(windows).hasSize((int) Math.ceil(sessions / 52.0));
    }

    @Test
    void anUnboundedReachIsTheWindowItself() {
        ProviderLimits alpaca = new ProviderLimits(100, 10_000, 0);
        for (Timeframe timeframe : Timeframe.values()) {
            assertThat(alpaca.windows(timeframe, TWO_YEARS)).containsExactly(TWO_YEARS);
        }
        assertThat(alpaca.requests(Timeframe.m1, TWO_YEARS, 250)).isEqualTo(3);
        assertThat(new ProviderLimits(1, 50_000, 50_000).requests(Timeframe.h1, TWO_YEARS, 3))
                .as("one symbol per request, 10 windows each")
                .isEqualTo(30);
    }

    private static boolean daily(Timeframe timeframe) {
        return timeframe == Timeframe.d1 || timeframe == Timeframe.w1;
    }

    private static Slice firstWeekOf(Slice range) {
        return new Slice(range.from(), range.from().plusSeconds(7 * 86_400));
    }

    /** What the window can hold at most: m1 bars of the extended sessions, or calendar days for d1 and w1. */
    private static long baseAggregates(Timeframe timeframe, Slice w) {
        if (daily(timeframe)) {
            return (long) Math.ceil((w.to().toEpochMilli() - w.from().toEpochMilli()) / 86_400_000.0);
        }
        return CALENDAR.maxBars(Timeframe.m1, w);
    }

    private static void assertCovers(List<Slice> windows, Slice range) {
        assertThat(windows).isNotEmpty();
        assertThat(windows.get(0).from()).isEqualTo(range.from());
        assertThat(windows.get(windows.size() - 1).to()).isEqualTo(range.to());
        for (int i = 1; i < windows.size(); i++) {
            assertThat(windows.get(i).from()).isEqualTo(windows.get(i - 1).to());
        }
    }
}
