package io.barsbackfill.common.domain;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The NYSE trading calendar: holidays by rule (valid at least for 2000-2035), a dated list of special
 * closures, and the 13:00 early closes. Session times come from the New York wall clock, so they follow
 * daylight saving time. Holds no mutable state.
 */
public final class TradingCalendar {

    public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static final LocalTime PRE_OPEN = LocalTime.of(4, 0);
    private static final LocalTime OPEN = LocalTime.of(9, 30);
    private static final LocalTime CLOSE = LocalTime.of(16, 0);
    private static final LocalTime POST_CLOSE = LocalTime.of(20, 0);
    private static final LocalTime EARLY_CLOSE = LocalTime.of(13, 0);
    private static final LocalTime EARLY_POST_CLOSE = LocalTime.of(17, 0);
    /** Late prints and corrections can still arrive shortly after the extended session ends. */
    private static final Duration SETTLING_TIME = Duration.ofMinutes(30);

    private static final Set<LocalDate> SPECIAL_CLOSURES = Set.of(
            LocalDate.of(2001, 9, 11),
            LocalDate.of(2001, 9, 12),
            LocalDate.of(2001, 9, 13),
            LocalDate.of(2001, 9, 14), // September 11 attacks
            LocalDate.of(2004, 6, 11), // President Reagan's funeral
            LocalDate.of(2007, 1, 2), // President Ford's funeral
            LocalDate.of(2012, 10, 29),
            LocalDate.of(2012, 10, 30), // Hurricane Sandy
            LocalDate.of(2018, 12, 5), // President G.H.W. Bush's funeral
            LocalDate.of(2025, 1, 9)); // President Carter's funeral

    private static final TradingCalendar NYSE = new TradingCalendar();

    private TradingCalendar() {}

    public static TradingCalendar nyse() {
        return NYSE;
    }

    /** The session on {@code date}; empty on weekends, holidays and special closures. */
    public Optional<TradingSession> session(LocalDate date) {
        if (!isTradingDay(date)) {
            return Optional.empty();
        }
        boolean early = isEarlyClose(date);
        return Optional.of(new TradingSession(
                date,
                atNewYork(date, PRE_OPEN),
                atNewYork(date, OPEN),
                atNewYork(date, early ? EARLY_CLOSE : CLOSE),
                atNewYork(date, early ? EARLY_POST_CLOSE : POST_CLOSE),
                early));
    }

    /** Sessions whose {@code [preOpen, postClose)} intersects {@code [from, to)}, in time order. */
    public List<TradingSession> sessions(Instant from, Instant to) {
        List<TradingSession> result = new ArrayList<>();
        if (!from.isBefore(to)) {
            return result;
        }
        LocalDate last = LocalDate.ofInstant(to, NEW_YORK);
        for (LocalDate d = LocalDate.ofInstant(from, NEW_YORK); !d.isAfter(last); d = d.plusDays(1)) {
            session(d)
                    .filter(s -> s.preOpen().isBefore(to) && s.postClose().isAfter(from))
                    .ifPresent(result::add);
        }
        return result;
    }

    /**
     * The instant before which every bar is final: the pre-open of the session in progress at {@code now}
     * (counting a short settling time after its post-close), otherwise {@code now} itself.
     */
    public Instant historyHorizon(Instant now) {
        return session(LocalDate.ofInstant(now, NEW_YORK))
                .filter(s ->
                        !now.isBefore(s.preOpen()) && now.isBefore(s.postClose().plus(SETTLING_TIME)))
                .map(TradingSession::preOpen)
                .orElse(now);
    }

    /**
     * The most bars one symbol can have in {@code slice}: for intraday timeframes the bar starts of every extended
     * session (04:00-20:00 New York, aligned at 04:00) inside the slice, for {@code d1} its sessions, for {@code w1}
     * the weeks (from their Monday) holding a session. Thin tickers have fewer; nobody has more.
     */
    public long maxBars(Timeframe timeframe, Slice slice) {
        List<TradingSession> sessions =
                sessions(slice.from().minus(Duration.ofDays(1)), slice.to().plus(Duration.ofDays(1)));
        return switch (timeframe) {
            case d1 ->
                sessions.stream()
                        .filter(s ->
                                slice.contains(s.date().atStartOfDay(NEW_YORK).toInstant()))
                        .count();
            case w1 ->
                sessions.stream()
                        .map(s -> s.date().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))
                        .distinct()
                        .filter(monday ->
                                slice.contains(monday.atStartOfDay(NEW_YORK).toInstant()))
                        .count();
            default ->
                sessions.stream()
                        .mapToLong(s -> barStarts(s, timeframe.barLength(), slice))
                        .sum();
        };
    }

    /** Bar starts {@code preOpen + k * bar} before the post-close that lie inside {@code slice}. */
    private static long barStarts(TradingSession s, Duration bar, Slice slice) {
        long barMillis = bar.toMillis();
        long first =
                Math.max(0, ceilDiv(slice.from().toEpochMilli() - s.preOpen().toEpochMilli(), barMillis));
        long end = Math.min(s.postClose().toEpochMilli(), slice.to().toEpochMilli());
        long last = ceilDiv(end - s.preOpen().toEpochMilli(), barMillis); // exclusive
        return Math.max(0, last - first);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static boolean isTradingDay(LocalDate date) {
        return !isWeekend(date)
                && !SPECIAL_CLOSURES.contains(date)
                && !holidays(date.getYear()).contains(date);
    }

    private static boolean isEarlyClose(LocalDate date) {
        int year = date.getYear();
        if (date.equals(thanksgiving(year).plusDays(1))) {
            return true;
        }
        if (date.equals(LocalDate.of(year, Month.DECEMBER, 24))) {
            return true; // only asked for trading days, so Christmas Eve is a weekday here
        }
        LocalDate independenceDay = LocalDate.of(year, Month.JULY, 4);
        return date.equals(LocalDate.of(year, Month.JULY, 3))
                && date.getDayOfWeek() != DayOfWeek.FRIDAY
                && !isWeekend(independenceDay);
    }

    /** Full-day holidays of {@code year}, as observed. */
    private static Set<LocalDate> holidays(int year) {
        Set<LocalDate> days = new HashSet<>();
        LocalDate newYear = LocalDate.of(year, Month.JANUARY, 1);
        if (newYear.getDayOfWeek() == DayOfWeek.SUNDAY) {
            days.add(newYear.plusDays(1));
        } else if (newYear.getDayOfWeek() != DayOfWeek.SATURDAY) {
            days.add(newYear); // on a Saturday the NYSE does not close the Friday before (a year-end day)
        }
        days.add(nthWeekday(year, Month.JANUARY, DayOfWeek.MONDAY, 3)); // Martin Luther King Jr. Day
        days.add(nthWeekday(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3)); // Washington's Birthday
        days.add(easterSunday(year).minusDays(2)); // Good Friday
        days.add(LocalDate.of(year, Month.MAY, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
        if (year >= 2022) {
            days.add(observed(LocalDate.of(year, Month.JUNE, 19))); // Juneteenth
        }
        days.add(observed(LocalDate.of(year, Month.JULY, 4)));
        days.add(nthWeekday(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1)); // Labor Day
        days.add(thanksgiving(year));
        days.add(observed(LocalDate.of(year, Month.DECEMBER, 25)));
        return days;
    }

    private static LocalDate thanksgiving(int year) {
        return nthWeekday(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4);
    }

    /** Saturday holidays are observed on the Friday before, Sunday holidays on the Monday after. */
    private static LocalDate observed(LocalDate holiday) {
        return switch (holiday.getDayOfWeek()) {
            case SATURDAY -> holiday.minusDays(1);
            case SUNDAY -> holiday.plusDays(1);
            default -> holiday;
        };
    }

    private static LocalDate nthWeekday(int year, Month month, DayOfWeek dayOfWeek, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dayOfWeek));
    }

    /** Gregorian Easter Sunday (anonymous Gregorian algorithm, "Meeus/Jones/Butcher"). */
    static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, day);
    }

    private static boolean isWeekend(LocalDate date) {
        DayOfWeek dow = date.getDayOfWeek();
        return dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
    }

    private static Instant atNewYork(LocalDate date, LocalTime time) {
        return date.atTime(time).atZone(NEW_YORK).toInstant();
    }
}
