package io.barsbackfill.common.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TradingCalendarTest {

    private final TradingCalendar calendar = TradingCalendar.nyse();

    static Stream<String> fullHolidays() {
        return Stream.of(
                "2024-01-01",
                "2024-01-15",
                "2024-02-19",
                "2024-03-29",
                "2024-05-27",
                "2024-06-19",
                "2024-07-04",
                "2024-09-02",
                "2024-11-28",
                "2024-12-25",
                "2025-01-01",
                "2025-01-09",
                "2025-01-20",
                "2025-02-17",
                "2025-04-18",
                "2025-05-26",
                "2025-06-19",
                "2025-07-04",
                "2025-09-01",
                "2025-11-27",
                "2025-12-25",
                "2026-01-01",
                "2026-01-19",
                "2026-02-16",
                "2026-04-03",
                "2026-05-25",
                "2026-06-19",
                "2026-07-03",
                "2026-09-07",
                "2026-11-26",
                "2026-12-25",
                "2022-06-20", // Juneteenth on a Sunday, observed Monday
                "2021-12-24", // Christmas on a Saturday, observed Friday
                "2022-12-26", // Christmas on a Sunday, observed Monday
                "2023-01-02", // New Year's Day on a Sunday, observed Monday
                "2020-07-03", // Independence Day on a Saturday, observed Friday
                "2021-07-05", // Independence Day on a Sunday, observed Monday
                "2001-09-11",
                "2001-09-14",
                "2004-06-11",
                "2007-01-02",
                "2012-10-29",
                "2012-10-30",
                "2018-12-05",
                "2000-04-21",
                "2008-03-21",
                "2019-04-19",
                "2035-03-23"); // Good Fridays
    }

    @ParameterizedTest
    @MethodSource("fullHolidays")
    void fullHolidaysHaveNoSession(String date) {
        assertThat(calendar.session(LocalDate.parse(date))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2021-12-31", // New Year's Day 2022 is a Saturday: not observed on the Friday before
                "2022-06-17", // before 2022-06-19 (Sunday) Juneteenth: Friday trades
                "2021-06-18", // Juneteenth not a market holiday before 2022
                "2024-11-29",
                "2024-12-24",
                "2024-07-03",
                "2024-01-02",
                "2025-01-08",
                "2025-01-10"
            })
    void tradingDaysHaveASession(String date) {
        assertThat(calendar.session(LocalDate.parse(date))).isPresent();
    }

    @Test
    void weekendsHaveNoSession() {
        assertThat(calendar.session(LocalDate.of(2024, 7, 6))).isEmpty();
        assertThat(calendar.session(LocalDate.of(2024, 7, 7))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2019-07-03",
                "2019-11-29",
                "2019-12-24",
                "2020-11-27",
                "2020-12-24",
                "2023-07-03",
                "2023-11-24",
                "2024-07-03",
                "2024-11-29",
                "2024-12-24",
                "2025-07-03",
                "2025-11-28",
                "2025-12-24",
                "2018-12-24",
                "2014-07-03"
            })
    void earlyCloses(String date) {
        TradingSession s = calendar.session(LocalDate.parse(date)).orElseThrow();
        assertThat(s.earlyClose()).isTrue();
        assertThat(s.close().atZone(TradingCalendar.NEW_YORK).toLocalTime()).hasToString("13:00");
        assertThat(s.postClose().atZone(TradingCalendar.NEW_YORK).toLocalTime()).hasToString("17:00");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2020-07-02",
                "2021-07-02",
                "2026-07-02",
                "2024-07-02",
                "2024-11-27",
                "2024-12-23",
                "2024-12-26",
                "2024-12-31"
            })
    void noEarlyClose(String date) {
        TradingSession s = calendar.session(LocalDate.parse(date)).orElseThrow();
        assertThat(s.earlyClose()).isFalse();
        assertThat(s.close().atZone(TradingCalendar.NEW_YORK).toLocalTime()).hasToString("16:00");
    }

    @Test
    void countsTradingDaysPerYear() {
        assertThat(tradingDays(2024)).isEqualTo(252);
        assertThat(tradingDays(2025)).isEqualTo(250);
        assertThat(tradingDays(2023)).isEqualTo(250);
    }

    @Test
    void earlyCloseDaysPerYear() {
        assertThat(earlyCloseDays(2024))
                .containsExactly(LocalDate.of(2024, 7, 3), LocalDate.of(2024, 11, 29), LocalDate.of(2024, 12, 24));
        assertThat(earlyCloseDays(2020)).containsExactly(LocalDate.of(2020, 11, 27), LocalDate.of(2020, 12, 24));
    }

    @Test
    void followsDaylightSavingTime() {
        TradingSession winter = calendar.session(LocalDate.of(2024, 1, 9)).orElseThrow();
        assertThat(winter.preOpen()).isEqualTo(Instant.parse("2024-01-09T09:00:00Z"));
        assertThat(winter.open()).isEqualTo(Instant.parse("2024-01-09T14:30:00Z"));
        assertThat(winter.close()).isEqualTo(Instant.parse("2024-01-09T21:00:00Z"));
        assertThat(winter.postClose()).isEqualTo(Instant.parse("2024-01-10T01:00:00Z"));

        TradingSession summer = calendar.session(LocalDate.of(2024, 7, 9)).orElseThrow();
        assertThat(summer.preOpen()).isEqualTo(Instant.parse("2024-07-09T08:00:00Z"));
        assertThat(summer.open()).isEqualTo(Instant.parse("2024-07-09T13:30:00Z"));
        assertThat(summer.close()).isEqualTo(Instant.parse("2024-07-09T20:00:00Z"));
        assertThat(summer.postClose()).isEqualTo(Instant.parse("2024-07-10T00:00:00Z"));

        // the Monday after the spring-forward Sunday (2024-03-10) is already on EDT
        assertThat(calendar.session(LocalDate.of(2024, 3, 11)).orElseThrow().preOpen())
                .isEqualTo(Instant.parse("2024-03-11T08:00:00Z"));
        assertThat(calendar.session(LocalDate.of(2024, 3, 8)).orElseThrow().preOpen())
                .isEqualTo(Instant.parse("2024-03-08T09:00:00Z"));
        // the Monday after fall-back (2024-11-03) is on EST again
        assertThat(calendar.session(LocalDate.of(2024, 11, 4)).orElseThrow().preOpen())
                .isEqualTo(Instant.parse("2024-11-04T09:00:00Z"));

        TradingSession earlyWinter =
                calendar.session(LocalDate.of(2024, 11, 29)).orElseThrow();
        assertThat(earlyWinter.close()).isEqualTo(Instant.parse("2024-11-29T18:00:00Z"));
        assertThat(earlyWinter.postClose()).isEqualTo(Instant.parse("2024-11-29T22:00:00Z"));
    }

    @Test
    void sessionsIntersectingARangeInOrder() {
        // Wednesday 2024-07-03 (early close) .. Monday 2024-07-08: the 4th and the weekend have no session
        List<TradingSession> sessions =
                calendar.sessions(Instant.parse("2024-07-03T12:00:00Z"), Instant.parse("2024-07-08T08:00:01Z"));
        assertThat(sessions)
                .extracting(TradingSession::date)
                .containsExactly(LocalDate.of(2024, 7, 3), LocalDate.of(2024, 7, 5), LocalDate.of(2024, 7, 8));
    }

    @Test
    void sessionsUseHalfOpenBounds() {
        TradingSession s = calendar.session(LocalDate.of(2024, 7, 9)).orElseThrow();
        assertThat(calendar.sessions(s.postClose(), s.postClose().plusSeconds(3600)))
                .isEmpty();
        assertThat(calendar.sessions(s.preOpen().minusSeconds(3600), s.preOpen()))
                .isEmpty();
        assertThat(calendar.sessions(s.preOpen().minusSeconds(3600), s.preOpen().plusNanos(1)))
                .containsExactly(s);
        assertThat(calendar.sessions(s.postClose().minusNanos(1), s.postClose()))
                .containsExactly(s);
        assertThat(calendar.sessions(s.postClose(), s.preOpen())).isEmpty();
    }

    @Test
    void historyHorizonInsideASessionIsItsPreOpen() {
        TradingSession s = calendar.session(LocalDate.of(2024, 7, 9)).orElseThrow();
        assertThat(calendar.historyHorizon(s.preOpen())).isEqualTo(s.preOpen());
        assertThat(calendar.historyHorizon(Instant.parse("2024-07-09T15:00:00Z")))
                .isEqualTo(s.preOpen());
        assertThat(calendar.historyHorizon(s.postClose().plusSeconds(29 * 60))).isEqualTo(s.preOpen());
    }

    @Test
    void historyHorizonOutsideASessionIsNow() {
        TradingSession s = calendar.session(LocalDate.of(2024, 7, 9)).orElseThrow();
        Instant settled = s.postClose().plusSeconds(30 * 60);
        assertThat(calendar.historyHorizon(settled)).isEqualTo(settled);
        Instant beforePreOpen = s.preOpen().minusSeconds(1);
        assertThat(calendar.historyHorizon(beforePreOpen)).isEqualTo(beforePreOpen);
        Instant saturday = Instant.parse("2024-07-06T15:00:00Z");
        assertThat(calendar.historyHorizon(saturday)).isEqualTo(saturday);
        Instant holiday = Instant.parse("2024-07-04T15:00:00Z");
        assertThat(calendar.historyHorizon(holiday)).isEqualTo(holiday);
    }

    @Test
    void historyHorizonAfterAnEarlyClose() {
        TradingSession s = calendar.session(LocalDate.of(2024, 11, 29)).orElseThrow();
        assertThat(calendar.historyHorizon(Instant.parse("2024-11-29T22:29:00Z")))
                .isEqualTo(s.preOpen());
        assertThat(calendar.historyHorizon(Instant.parse("2024-11-29T22:30:00Z")))
                .isEqualTo(Instant.parse("2024-11-29T22:30:00Z"));
    }

    @Test
    void computesEaster() {
        assertThat(TradingCalendar.easterSunday(2024)).isEqualTo(LocalDate.of(2024, 3, 31));
        assertThat(TradingCalendar.easterSunday(2025)).isEqualTo(LocalDate.of(2025, 4, 20));
        assertThat(TradingCalendar.easterSunday(2000)).isEqualTo(LocalDate.of(2000, 4, 23));
        assertThat(TradingCalendar.easterSunday(2038)).isEqualTo(LocalDate.of(2038, 4, 25));
    }

    @Test
    void everySessionIsOnAWeekday() {
        assertThat(calendar.sessions(Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2036-01-01T00:00:00Z")))
                .allSatisfy(s -> assertThat(s.date().getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY))
                .hasSizeBetween(36 * 248, 36 * 254);
    }

    private long tradingDays(int year) {
        return Year.of(year)
                .atDay(1)
                .datesUntil(Year.of(year + 1).atDay(1))
                .filter(d -> calendar.session(d).isPresent())
                .count();
    }

    private List<LocalDate> earlyCloseDays(int year) {
        return Year.of(year)
                .atDay(1)
                .datesUntil(Year.of(year + 1).atDay(1))
                .filter(d -> calendar.session(d).map(TradingSession::earlyClose).orElse(false))
                .toList();
    }

    @Test
    void maxBarsCountsTheSlotsOfTheExtendedSessionsInsideASlice() {
        Slice january = new Slice(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-02-01T00:00:00Z"));
        assertThat(calendar.maxBars(Timeframe.h1, january))
                .as("21 sessions of 16 hours, but the 19:00 bar of 31 January starts in February (UTC)")
                .isEqualTo(21 * 16 - 1);
        assertThat(calendar.maxBars(Timeframe.h4, january)).isEqualTo(21 * 4);
        Slice year = new Slice(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(calendar.maxBars(Timeframe.d1, year)).isEqualTo(252);
        assertThat(calendar.maxBars(Timeframe.w1, year)).as("53 Mondays").isEqualTo(53);
        // a UTC day holds the end of one New York session and the start of the next
        Slice day = new Slice(Instant.parse("2024-01-03T00:00:00Z"), Instant.parse("2024-01-04T00:00:00Z"));
        assertThat(calendar.maxBars(Timeframe.m1, day)).isEqualTo(60 + 900);
        Slice dayAfterThanksgiving =
                new Slice(Instant.parse("2024-11-29T00:00:00Z"), Instant.parse("2024-11-30T00:00:00Z"));
        assertThat(calendar.maxBars(Timeframe.m1, dayAfterThanksgiving))
                .as("early close: extended session 04:00-17:00")
                .isEqualTo(13 * 60);
        Slice saturday = new Slice(Instant.parse("2024-01-06T00:00:00Z"), Instant.parse("2024-01-07T00:00:00Z"));
        assertThat(calendar.maxBars(Timeframe.m1, saturday))
                .as("Friday's session ends at 01:00 UTC")
                .isEqualTo(60);
        Slice sunday = new Slice(Instant.parse("2024-01-07T00:00:00Z"), Instant.parse("2024-01-08T00:00:00Z"));
        assertThat(calendar.maxBars(Timeframe.m1, sunday)).isZero();
    }
}
