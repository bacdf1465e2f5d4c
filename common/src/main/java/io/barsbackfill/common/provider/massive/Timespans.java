package io.barsbackfill.common.provider.massive;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Timeframe;

/** Our timeframes and series in Massive's terms. */
final class Timespans {

    private Timespans() {}

    /** {@code /range/{multiplier}/{timespan}/}. */
    record Timespan(int multiplier, String timespan) {}

    static Timespan of(Timeframe timeframe) {
        return switch (timeframe) {
            case m1 -> new Timespan(1, "minute");
            case m5 -> new Timespan(5, "minute");
            case m15 -> new Timespan(15, "minute");
            case m30 -> new Timespan(30, "minute");
            case h1 -> new Timespan(1, "hour");
            case h4 -> new Timespan(4, "hour");
            case d1 -> new Timespan(1, "day");
            case w1 -> new Timespan(1, "week");
        };
    }

    /** {@code adjusted=true} is a split adjustment, {@code false} raw (the only two Massive series). */
    static boolean adjusted(Series series) {
        return "split".equals(series.adjustment());
    }
}
