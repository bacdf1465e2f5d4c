package io.barsbackfill.common.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which sessions a slice expects, and which of them hold a bar. */
class SessionCoverageTest {

    static final Slice JANUARY_2024 =
            new Slice(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-02-01T00:00:00Z"));

    @Test
    void anIntradaySliceExpectsTheSessionsWhoseRegularOpenItHolds() {
        // 2024-01-31 20:00 New York is 2024-02-01 01:00 UTC: January's last session reaches into February's slice,
        // and 2023-12-29's late extended hours into January's; neither moves a session to the other slice
        Bar lastJanuarySession = bar("2024-01-31T15:00:00Z");
        SessionCoverage coverage = SessionCoverage.of(Timeframe.h1, JANUARY_2024, List.of(lastJanuarySession));

        assertThat(coverage.sessionsExpected()).isEqualTo(21); // 23 weekdays less New Year's Day and MLK Day
        assertThat(coverage.expected()).doesNotContain(LocalDate.of(2023, 12, 29), LocalDate.of(2024, 2, 1));
        assertThat(coverage.sessionsWithBars()).isEqualTo(1);
        assertThat(coverage.missing()).hasSize(20).doesNotContain(LocalDate.of(2024, 1, 31));
    }

    @Test
    void aSessionWithOneBarInItsExtendedHoursHasBars() {
        Slice day = new Slice(Instant.parse("2024-01-02T00:00:00Z"), Instant.parse("2024-01-03T00:00:00Z"));
        // 04:00 New York, the pre-open's first minute
        SessionCoverage coverage = SessionCoverage.of(Timeframe.m1, day, List.of(bar("2024-01-02T09:00:00Z")));

        assertThat(coverage.isComplete()).isTrue();
        assertThat(coverage.sessionsExpected()).isEqualTo(1);
    }

    @Test
    void dailyAndWeeklyBarsFindTheirSessionByTheirStamp() {
        Slice year = new Slice(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"));
        // a daily bar is stamped 00:00 New York: 05:00 UTC in winter
        SessionCoverage daily = SessionCoverage.of(Timeframe.d1, year, List.of(bar("2024-01-02T05:00:00Z")));
        assertThat(daily.sessionsExpected()).isEqualTo(252);
        assertThat(daily.missing()).hasSize(251).doesNotContain(LocalDate.of(2024, 1, 2));

        // the week of 2024-01-01 (New Year's Day closed) is stamped at its Monday's midnight
        SessionCoverage weekly = SessionCoverage.of(Timeframe.w1, year, List.of(bar("2024-01-01T05:00:00Z")));
        assertThat(weekly.missing()).doesNotContain(LocalDate.of(2024, 1, 1)).contains(LocalDate.of(2024, 1, 8));
    }

    @Test
    void aSliceWithoutSessionsIsComplete() {
        Slice saturday = new Slice(Instant.parse("2024-01-06T00:00:00Z"), Instant.parse("2024-01-07T00:00:00Z"));
        SessionCoverage coverage = SessionCoverage.of(Timeframe.m5, saturday, List.of());

        assertThat(coverage.sessionsExpected()).isZero();
        assertThat(coverage.isComplete()).isTrue();
    }

    private static Bar bar(String ts) {
        return new Bar(Instant.parse(ts), 10, 11, 9, 10, 100, null, null);
    }
}
