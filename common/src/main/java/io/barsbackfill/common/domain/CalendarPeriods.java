package io.barsbackfill.common.domain;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the NYSE calendar expects of one timeframe's bars, period by period: intraday bars tile each extended
 * session {@code [pre-open, post-close)}; a daily bar starts at New York midnight of each trading day; a
 * weekly bar at New York midnight of the Monday of each week with a trading day.
 */
public final class CalendarPeriods {

    private CalendarPeriods() {}

    /**
     * @param day   the session's date (for w1 its week's Monday): how bars find their period
     * @param slots bars the period can hold
     * @param exact whether a bar must start exactly at {@code from} (d1, w1)
     */
    public record Period(LocalDate day, Instant from, Instant to, int slots, boolean exact) {}

    public static List<Period> of(Timeframe timeframe, Instant from, Instant to) {
        List<TradingSession> sessions = TradingCalendar.nyse().sessions(from, to);
        List<Period> periods = new ArrayList<>();
        switch (timeframe) {
            case d1 ->
                sessions.forEach(s -> periods.add(new Period(
                        s.date(), midnight(s.date()), midnight(s.date().plusDays(1)), 1, true)));
            case w1 -> {
                Set<LocalDate> mondays = new LinkedHashSet<>();
                sessions.forEach(s -> mondays.add(s.date().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))));
                mondays.forEach(m -> periods.add(new Period(m, midnight(m), midnight(m.plusWeeks(1)), 1, true)));
            }
            default ->
                sessions.forEach(s -> periods.add(new Period(
                        s.date(),
                        s.preOpen(),
                        s.postClose(),
                        slots(Duration.between(s.preOpen(), s.postClose()), timeframe.barLength()),
                        false)));
        }
        return periods;
    }

    private static int slots(Duration session, Duration bar) {
        return (int) ((session.toSeconds() + bar.toSeconds() - 1) / bar.toSeconds());
    }

    private static Instant midnight(LocalDate date) {
        return date.atStartOfDay(TradingCalendar.NEW_YORK).toInstant();
    }
}
