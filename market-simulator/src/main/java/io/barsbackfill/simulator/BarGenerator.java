package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * The simulated market's bars: which exist ({@link BarSchedule}), what they hold ({@link BarFactory}) and how
 * the requested price adjustment changes them ({@link Splits}).
 */
final class BarGenerator {

    private final BarSchedule schedule = new BarSchedule(TradingCalendar.nyse());

    /** Bars with {@code from <= t < to}, in time order, with {@code adjustment}; lazy, so callers may stop early. */
    Stream<Bar> bars(String ticker, Timeframe timeframe, Instant from, Instant to, String adjustment) {
        BarFactory factory = new BarFactory(ticker, timeframe);
        return schedule.slots(ticker, timeframe, from, to)
                .map(factory::barAt)
                .map(bar -> Splits.adjust(ticker, bar, adjustment));
    }

    /** The starts of the bars {@link #bars} serves, without their values: cheaper for counting them. */
    Stream<Instant> starts(String ticker, Timeframe timeframe, Instant from, Instant to) {
        return schedule.slots(ticker, timeframe, from, to).map(BarSlot::t);
    }

    /**
     * A well-formed bar of {@code ticker} stamped {@code t}, with values as if the market had one then (it need
     * not): for faults that serve bars which should not exist.
     */
    Bar barAt(String ticker, Timeframe timeframe, Instant t, String adjustment) {
        return Splits.adjust(ticker, new BarFactory(ticker, timeframe).barAt(new BarSlot(t, true)), adjustment);
    }
}
