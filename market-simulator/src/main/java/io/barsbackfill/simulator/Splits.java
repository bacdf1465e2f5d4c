package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.TradingCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * Stock splits of the simulated market and what they do to prices. Generated prices are split-adjusted (in
 * today's shares); a bar before a split is served raw, as traded then, unless the request asks for
 * {@code adjustment=split} or {@code all}: prices times the ratio, volume divided by it. No dividends are
 * simulated, so {@code dividend} and {@code spin-off} serve raw prices.
 */
final class Splits {

    /** AAPL's real 4-for-1 split, effective at the open of 31 August 2020. */
    static final Map<String, Split> SPLITS = Map.of("AAPL", new Split(LocalDate.of(2020, 8, 31), 4));

    record Split(LocalDate effective, int ratio) {
        Instant effectiveAt() {
            return effective.atStartOfDay(TradingCalendar.NEW_YORK).toInstant();
        }
    }

    private Splits() {}

    static Bar adjust(String ticker, Bar adjusted, String adjustment) {
        Split split = SPLITS.get(ticker);
        if (split == null
                || "split".equals(adjustment)
                || "all".equals(adjustment)
                || !adjusted.ts().isBefore(split.effectiveAt())) {
            return adjusted;
        }
        int r = split.ratio();
        return new Bar(
                adjusted.ts(),
                round(adjusted.open() * r),
                round(adjusted.high() * r),
                round(adjusted.low() * r),
                round(adjusted.close() * r),
                Math.max(1, adjusted.volume() / r),
                adjusted.vwap() == null ? null : round(adjusted.vwap() * r),
                adjusted.tradeCount());
    }

    private static double round(double price) {
        return Math.round(price * 10_000) / 10_000.0;
    }
}
