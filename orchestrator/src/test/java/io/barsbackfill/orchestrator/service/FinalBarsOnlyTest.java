package io.barsbackfill.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void theWeeklySliceOf2025WaitsForFridayTheSecondOfJanuary() {
        String from = "2025-01-01T00:00:00Z";
        String to = "2026-01-01T00:00:00Z";
        // the old rule planned it here: the week of Monday 29 December still lacked 31 Dec and 2 Jan
        assertThat(ready(Timeframe.w1, from, to, "2026-01-01T00:00:00Z")).isFalse();
        assertThat(ready(Timeframe.w1, from, to, "2026-01-03T01:00:00Z")).isFalse(); // Friday's post-market
        assertThat(ready(Timeframe.w1, from, to, "2026-01-05T04:59:59Z")).isFalse();
        assertThat(ready(Timeframe.w1, from, to, "2026-01-05T05:00:00Z")).isTrue(); // Monday 00:00 New York
    }

    @Test
    void theDailySliceOfAYearWaitsForItsLastSessionToEnd() {
        String from = "2025-01-01T00:00:00Z";
        String to = "2026-01-01T00:00:00Z";
        // 31 December's post-market runs until 01:00Z on 1 January
        assertThat(ready(Timeframe.d1, from, to, "2026-01-01T00:30:00Z")).isFalse();
        assertThat(ready(Timeframe.d1, from, to, "2026-01-01T04:59:00Z")).isFalse();
        assertThat(ready(Timeframe.d1, from, to, "2026-01-01T05:00:00Z")).isTrue();
    }

    @Test
    void fourHourBarsOfAYearWaitForTheBarThatCrossesMidnightUtc() {
        String from = "2025-01-01T00:00:00Z";
        String to = "2026-01-01T00:00:00Z";
        assertThat(ready(Timeframe.h4, from, to, "2026-01-01T03:59:00Z")).isFalse();
        assertThat(ready(Timeframe.h4, from, to, "2026-01-01T04:00:00Z")).isTrue();
    }

    @Test
    void aMonthEndingOnATradingDayWaitsForItsPostMarketAndSettling() {
        // Thursday 30 April 2026 (EDT): post-market ends 00:00Z on 1 May, settling until 00:30Z
        String from = "2026-04-01T00:00:00Z";
        String to = "2026-05-01T00:00:00Z";
        assertThat(ready(Timeframe.h1, from, to, "2026-05-01T00:29:00Z")).isFalse();
        assertThat(ready(Timeframe.h1, from, to, "2026-05-01T01:00:00Z")).isTrue();
        assertThat(ready(Timeframe.m30, from, to, "2026-05-01T00:29:00Z")).isFalse();
        assertThat(ready(Timeframe.m30, from, to, "2026-05-01T00:30:00Z")).isTrue();
    }

    @Test
    void aDayOfMinuteBarsFollowsDaylightSavingTime() {
        // Friday 6 March 2026 is on EST: its post-market ends at 01:00Z on the 7th, one hour after the slice
        assertThat(ready(Timeframe.m1, "2026-03-06T00:00:00Z", "2026-03-07T00:00:00Z", "2026-03-07T01:29:00Z"))
                .isFalse();
        assertThat(ready(Timeframe.m1, "2026-03-06T00:00:00Z", "2026-03-07T00:00:00Z", "2026-03-07T01:30:00Z"))
                .isTrue();
        // Friday 13 March 2026 is on EDT: its post-market ends with the slice, at 00:00Z on the 14th
        assertThat(ready(Timeframe.m1, "2026-03-13T00:00:00Z", "2026-03-14T00:00:00Z", "2026-03-14T00:29:00Z"))
                .isFalse();
        assertThat(ready(Timeframe.m1, "2026-03-13T00:00:00Z", "2026-03-14T00:00:00Z", "2026-03-14T00:30:00Z"))
                .isTrue();
    }

    @Test
    void theWeekOfTheChangeToDaylightSavingTimeWaitsForItsLastBar() {
        // m5 slices are ISO weeks; the week of Monday 2 March 2026 ends on EST, the next one starts on EDT
        assertThat(ready(Timeframe.m5, "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z", "2026-03-09T00:04:00Z"))
                .isFalse();
        assertThat(ready(Timeframe.m5, "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z", "2026-03-09T00:05:00Z"))
                .isTrue();
        assertThat(ready(Timeframe.m5, "2026-03-09T00:00:00Z", "2026-03-16T00:00:00Z", "2026-03-14T00:30:00Z"))
                .isFalse();
        assertThat(readyAt(Timeframe.w1, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "2026-03-14T00:30:00Z"))
                .isEmpty();
    }
}
