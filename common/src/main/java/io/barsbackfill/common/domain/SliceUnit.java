package io.barsbackfill.common.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** Calendar units of the fixed UTC slice grid: whole UTC days, ISO weeks (Monday), months and years. */
public enum SliceUnit {
    DAY,
    WEEK,
    MONTH,
    YEAR;

    /** Start of the grid cell that contains {@code t}. */
    public Instant floor(Instant t) {
        LocalDate d = LocalDate.ofInstant(t, ZoneOffset.UTC);
        LocalDate start = switch (this) {
            case DAY -> d;
            case WEEK -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> d.withDayOfMonth(1);
            case YEAR -> d.withDayOfYear(1);
        };
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Start of the cell after the one starting at {@code cellStart}. */
    public Instant next(Instant cellStart) {
        LocalDate d = LocalDate.ofInstant(cellStart, ZoneOffset.UTC);
        LocalDate next = switch (this) {
            case DAY -> d.plusDays(1);
            case WEEK -> d.plusWeeks(1);
            case MONTH -> d.plusMonths(1);
            case YEAR -> d.plusYears(1);
        };
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Whole cells from {@code from} to {@code to}, both cell starts; 0 when {@code to} is not after {@code from}. */
    public long cellsBetween(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return 0;
        }
        LocalDate a = LocalDate.ofInstant(from, ZoneOffset.UTC);
        LocalDate b = LocalDate.ofInstant(to, ZoneOffset.UTC);
        return switch (this) {
            case DAY -> ChronoUnit.DAYS.between(a, b);
            case WEEK -> ChronoUnit.WEEKS.between(a, b);
            case MONTH -> ChronoUnit.MONTHS.between(a, b);
            case YEAR -> ChronoUnit.YEARS.between(a, b);
        };
    }

    /** Start of the first cell that begins at or after {@code t}. */
    public Instant ceil(Instant t) {
        Instant start = floor(t);
        return start.equals(t) ? start : next(start);
    }
}
