package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.domain.TradingSession;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which bars exist: the bar starts of a ticker and timeframe on the NYSE calendar, in time order.
 * <ul>
 * <li>Intraday bars tile the extended session from its 04:00 ET pre-open (so 1h bars start on the hour and 4h
 * bars at 04:00, 08:00, 12:00 and 16:00 ET). Regular-hours bars always exist; extended-hours bars are sparse:
 * 3 of every 20 consecutive extended slots of a session have no trades and no bar. Spreading the drops evenly
 * (with a per-session phase) instead of flipping a coin per bar keeps counts within tight bounds, e.g. 14 or
 * 15 hourly bars on a full day.</li>
 * <li>Daily bars are stamped at 00:00 New York of each session's date, weekly bars at 00:00 New York of the
 * Monday of each week with at least one session.</li>
 * </ul>
 * The simulated market has data from 2000-01-01 until the end of 2039 and none outside.
 */
final class BarSchedule {

    private static final ZoneId NEW_YORK = TradingCalendar.NEW_YORK;
    static final Instant DATA_BEGIN =
            LocalDate.of(2000, 1, 1).atStartOfDay(NEW_YORK).toInstant();
    static final Instant DATA_END =
            LocalDate.of(2040, 1, 1).atStartOfDay(NEW_YORK).toInstant();

    private static final int DROP_WINDOW = 20;
    private static final int DROP_STRIDE = 3; // coprime with the window, so each window drops exactly 3 slots

    private final TradingCalendar calendar;

    BarSchedule(TradingCalendar calendar) {
        this.calendar = calendar;
    }

    /** Bar slots with {@code from <= t < to}, in time order; lazy, so callers may stop early. */
    Stream<BarSlot> slots(String ticker, Timeframe timeframe, Instant from, Instant to) {
        Instant lo = from.isBefore(DATA_BEGIN) ? DATA_BEGIN : from;
        Instant hi = to.isAfter(DATA_END) ? DATA_END : to;
        if (!lo.isBefore(hi)) {
            return Stream.empty();
        }
        Stream<BarSlot> all = switch (timeframe) {
            case d1 -> dailySlots(lo, hi);
            case w1 -> weeklySlots(lo, hi);
            default ->
                calendar.sessions(lo, hi).stream()
                        .flatMap(session -> intradaySlots(ticker, timeframe, session).stream());
        };
        return all.filter(slot -> !slot.t().isBefore(lo) && slot.t().isBefore(hi));
    }

    private List<BarSlot> intradaySlots(String ticker, Timeframe timeframe, TradingSession session) {
        Duration length = timeframe.barLength();
        int phase = (int) Math.floorMod(
                StableHash.of(
                        StableHash.of(ticker + "|" + timeframe.alpacaName()),
                        session.date().toEpochDay()),
                (long) DROP_WINDOW);
        List<BarSlot> slots = new ArrayList<>();
        int extendedIndex = 0;
        for (Instant t = session.preOpen(); t.isBefore(session.postClose()); t = t.plus(length)) {
            if (session.overlapsRegularHours(t, t.plus(length))) {
                slots.add(new BarSlot(t, true));
            } else if (!isDropped(extendedIndex++, phase)) {
                slots.add(new BarSlot(t, false));
            }
        }
        return slots;
    }

    private static boolean isDropped(int extendedIndex, int phase) {
        return (extendedIndex + phase) * DROP_STRIDE % DROP_WINDOW >= DROP_WINDOW - DROP_STRIDE;
    }

    private Stream<BarSlot> dailySlots(Instant from, Instant to) {
        LocalDate first = LocalDate.ofInstant(from, NEW_YORK);
        LocalDate last = LocalDate.ofInstant(to, NEW_YORK);
        return first.datesUntil(last.plusDays(1))
                .filter(d -> calendar.session(d).isPresent())
                .map(d -> new BarSlot(d.atStartOfDay(NEW_YORK).toInstant(), true));
    }

    private Stream<BarSlot> weeklySlots(Instant from, Instant to) {
        LocalDate firstMonday =
                LocalDate.ofInstant(from, NEW_YORK).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate last = LocalDate.ofInstant(to, NEW_YORK);
        return Stream.iterate(firstMonday, monday -> !monday.isAfter(last), monday -> monday.plusWeeks(1))
                .filter(monday -> monday.datesUntil(monday.plusDays(5))
                        .anyMatch(d -> calendar.session(d).isPresent()))
                .map(monday -> new BarSlot(monday.atStartOfDay(NEW_YORK).toInstant(), true));
    }
}
