package io.barsbackfill.common.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Which of a slice's calendar sessions hold at least one bar. The sessions a slice expects: for intraday timeframes
 * the trading days whose regular open lies in the slice (slices are whole UTC days, weeks or months, so a session's
 * regular hours never straddle a slice; only its late extended hours may), for d1 the trading days whose bar
 * (stamped 00:00 New York) lies in it, for w1 the weeks with a trading day whose Monday does.
 *
 * @param expected the sessions' days (w1: the weeks' Mondays), in time order
 * @param missing  the days among them without a bar
 */
public record SessionCoverage(List<LocalDate> expected, List<LocalDate> missing) {

    public SessionCoverage {
        expected = List.copyOf(expected);
        missing = List.copyOf(missing);
    }

    public static SessionCoverage of(Timeframe timeframe, Slice slice, Collection<Bar> bars) {
        List<CalendarPeriods.Period> periods = CalendarPeriods.of(timeframe, slice.from(), slice.to()).stream()
                .filter(p -> slice.contains(timeframe.isIntraday() ? regularOpen(p.day()) : p.from()))
                .toList();
        TreeSet<Instant> times = new TreeSet<>();
        bars.forEach(b -> times.add(b.ts()));
        List<LocalDate> expected = new ArrayList<>(periods.size());
        List<LocalDate> missing = new ArrayList<>();
        for (CalendarPeriods.Period p : periods) {
            expected.add(p.day());
            Instant first = times.ceiling(p.from());
            if (first == null || !first.isBefore(p.to())) {
                missing.add(p.day());
            }
        }
        return new SessionCoverage(expected, missing);
    }

    private static Instant regularOpen(LocalDate day) {
        return TradingCalendar.nyse().session(day).orElseThrow().open();
    }

    public int sessionsExpected() {
        return expected.size();
    }

    public int sessionsWithBars() {
        return expected.size() - missing.size();
    }

    public boolean isComplete() {
        return missing.isEmpty();
    }
}
