package io.barsbackfill.common.domain;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The closed set of bar timeframes. Stored by {@link #name()}; anything else is rejected, never mapped
 * to a default. Each timeframe also fixes the slice grid it is planned on: slice lengths are chosen so
 * that a full batch of 50 symbols fits in a few provider pages of 10,000 bars (see docs/architecture.md).
 */
public enum Timeframe {
    m1(Duration.ofMinutes(1), "1Min", SliceUnit.DAY),
    m5(Duration.ofMinutes(5), "5Min", SliceUnit.WEEK),
    m15(Duration.ofMinutes(15), "15Min", SliceUnit.WEEK),
    m30(Duration.ofMinutes(30), "30Min", SliceUnit.MONTH),
    h1(Duration.ofHours(1), "1Hour", SliceUnit.MONTH),
    h4(Duration.ofHours(4), "4Hour", SliceUnit.YEAR),
    d1(Duration.ofDays(1), "1Day", SliceUnit.YEAR),
    w1(Duration.ofDays(7), "1Week", SliceUnit.YEAR);

    public static final String NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(" "));

    private final Duration barLength;
    private final String alpacaName;
    private final SliceUnit sliceUnit;

    Timeframe(Duration barLength, String alpacaName, SliceUnit sliceUnit) {
        this.barLength = barLength;
        this.alpacaName = alpacaName;
        this.sliceUnit = sliceUnit;
    }

    /** The timeframe stored under {@code name}, exactly (case-sensitive, no aliases). */
    public static Optional<Timeframe> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** The timeframe Alpaca names {@code alpacaName} ({@code 1Hour}, ...), exactly. */
    public static Optional<Timeframe> fromAlpacaName(String alpacaName) {
        return Arrays.stream(values())
                .filter(t -> t.alpacaName.equals(alpacaName))
                .findFirst();
    }

    public Duration barLength() {
        return barLength;
    }

    public String alpacaName() {
        return alpacaName;
    }

    public SliceUnit sliceUnit() {
        return sliceUnit;
    }

    /**
     * When the period of the last bar that can start before {@code end} is over: a slice ending at {@code end}
     * holds only final bars after this (plus the settling time). Daily bars cover the New York day they are
     * stamped with, weekly bars the week from their Monday, so the last ones of a slice cross its end (the week
     * of Monday 29 December 2025 ends on 5 January 2026). Intraday bars are aligned differently by providers,
     * so a whole bar length past {@code end} is assumed.
     */
    public Instant lastBarEndBefore(Instant end) {
        LocalDate lastDay = LocalDate.ofInstant(end.minusNanos(1), TradingCalendar.NEW_YORK);
        return switch (this) {
            case d1 ->
                lastDay.plusDays(1).atStartOfDay(TradingCalendar.NEW_YORK).toInstant();
            case w1 ->
                lastDay.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                        .plusWeeks(1)
                        .atStartOfDay(TradingCalendar.NEW_YORK)
                        .toInstant();
            default -> end.plus(barLength);
        };
    }

    /** Intraday bars cover the extended session; daily and weekly bars are stamped at New York midnight. */
    public boolean isIntraday() {
        return barLength.compareTo(Duration.ofDays(1)) < 0;
    }
}
