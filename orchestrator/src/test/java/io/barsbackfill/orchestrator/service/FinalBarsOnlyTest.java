package io.barsbackfill.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A slice is planned only when its last possible bar is final, with the clock fixed just before and just after
 * that moment: year and month ends, and the days around the 2026 change to daylight saving time (8 March).
 */
class FinalBarsOnlyTest {

    private static List<Slice> readyAt(Timeframe timeframe, String windowFrom, String windowTo, String now) {
        Instant horizon = TradingCalendar.nyse().historyHorizon(Instant.parse(now));
        List<Slice> ready = SlicePlan.next(
                timeframe, Instant.parse(windowFrom), Instant.parse(windowTo), null, horizon, Integer.MAX_VALUE);
        assertThat(SlicePlan.countReady(timeframe, Instant.parse(windowFrom), Instant.parse(windowTo), horizon))
                .as("what enqueue reports as ready")
                .isEqualTo(ready.size());
        return ready;
    }

    private static boolean ready(Timeframe timeframe, String sliceFrom, String sliceTo, String now) {
        return readyAt(timeframe, sliceFrom, sliceTo, now)
                .contains(new Slice(Instant.parse(sliceFrom), Instant.parse(sliceTo)));
    }

    /** Each row: a slice, a moment, and whether the slice is ready then. */
    @ParameterizedTest(name = "{0} {1}..{2} at {3}: ready {4}")
    @CsvSource(delimiter = '|', textBlock = """
            # The weekly slice of 2025 waits for Friday 2 January: the week of Monday 29 December lacked 31 Dec and
            # 2 Jan where the old rule planned it (1 January)
            w1 | 2025-01-01T00:00:00Z | 2026-01-01T00:00:00Z | 2026-01-01T00:00:00Z | false
            # Friday's post-market
            w1 | 2025-01-01T00:00:00Z | 2026-01-01T00:00:00Z | 2026-01-03T01:00:00Z | false
            w1 | 2025-01-01T00:00:00Z | 2026-01-01T00:00:00Z | 2026-01-05T04:59:59Z | false
            # Monday 00:00 New York
            w1 | 2025-01-01T00:00:00Z | 2026-01-01T00:00:00Z | 2026-01-05T05:00:00Z | true
            # The daily slice of a year waits for its last session: 31 December's post-market runs until 01:00Z
            d1 | 2025-01-01T00:00:00Z | 2026-01-01T00:00:00Z | 2026-01-01T00:30:00Z | false
            d1 | 2025-01-01T00:00:00Z | 2026-01-01T00:00:00Z | 2026-01-01T04:59:00Z | false
            d1 | 2025-01-01T00:00:00Z | 2026-01-01T00:00:00Z | 2026-01-01T05:00:00Z | true
            # Four-hour bars of a year wait for the bar that crosses midnight UTC
            h4 | 2025-01-01T00:00:00Z | 2026-01-01T00:00:00Z | 2026-01-01T03:59:00Z | false
            h4 | 2025-01-01T00:00:00Z | 2026-01-01T00:00:00Z | 2026-01-01T04:00:00Z | true
            # A month ending on a trading day (Thursday 30 April 2026, EDT) waits for its post-market (ends 00:00Z
            # on 1 May) and settling (until 00:30Z)
            h1  | 2026-04-01T00:00:00Z | 2026-05-01T00:00:00Z | 2026-05-01T00:29:00Z | false
            h1  | 2026-04-01T00:00:00Z | 2026-05-01T00:00:00Z | 2026-05-01T01:00:00Z | true
            m30 | 2026-04-01T00:00:00Z | 2026-05-01T00:00:00Z | 2026-05-01T00:29:00Z | false
            m30 | 2026-04-01T00:00:00Z | 2026-05-01T00:00:00Z | 2026-05-01T00:30:00Z | true
            # A day of minute bars follows daylight saving time. Friday 6 March 2026 is on EST: its post-market
            # ends at 01:00Z on the 7th, one hour after the slice
            m1 | 2026-03-06T00:00:00Z | 2026-03-07T00:00:00Z | 2026-03-07T01:29:00Z | false
            m1 | 2026-03-06T00:00:00Z | 2026-03-07T00:00:00Z | 2026-03-07T01:30:00Z | true
            # Friday 13 March 2026 is on EDT: its post-market ends with the slice, at 00:00Z on the 14th
            m1 | 2026-03-13T00:00:00Z | 2026-03-14T00:00:00Z | 2026-03-14T00:29:00Z | false
            m1 | 2026-03-13T00:00:00Z | 2026-03-14T00:00:00Z | 2026-03-14T00:30:00Z | true
            # m5 slices are ISO weeks; the week of Monday 2 March 2026 ends on EST, the next one starts on EDT
            m5 | 2026-03-02T00:00:00Z | 2026-03-09T00:00:00Z | 2026-03-09T00:04:00Z | false
            m5 | 2026-03-02T00:00:00Z | 2026-03-09T00:00:00Z | 2026-03-09T00:05:00Z | true
            m5 | 2026-03-09T00:00:00Z | 2026-03-16T00:00:00Z | 2026-03-14T00:30:00Z | false
            """)
    void aSliceIsReadyOnlyWhenItsLastBarIsFinal(
            Timeframe timeframe, String sliceFrom, String sliceTo, String now, boolean expected) {
        assertThat(ready(timeframe, sliceFrom, sliceTo, now)).isEqualTo(expected);
    }

    @Test
    void noWeeklySliceOf2026IsReadyInMarch() {
        assertThat(readyAt(Timeframe.w1, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "2026-03-14T00:30:00Z"))
                .isEmpty();
    }
}
