package io.barsbackfill.simulator;

import java.time.Instant;
import java.util.stream.Stream;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;

/** The simulated market's bars: which exist ({@link BarSchedule}) and what they hold ({@link BarFactory}). */
final class BarGenerator {

    private final BarSchedule schedule = new BarSchedule(TradingCalendar.nyse());

    /** Bars with {@code from <= t < to}, in time order; lazy, so callers may stop early. */
    Stream<Bar> bars(String ticker, Timeframe timeframe, Instant from, Instant to) {
        BarFactory factory = new BarFactory(ticker, timeframe);
        return schedule.slots(ticker, timeframe, from, to).map(factory::barAt);
    }
}
