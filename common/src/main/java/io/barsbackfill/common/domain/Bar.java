package io.barsbackfill.common.domain;

import java.time.Instant;

/** One OHLCV bar as the provider served it; {@code ts} is the bar's start. */
public record Bar(Instant ts, double open, double high, double low, double close, long volume, double vwap,
        long tradeCount) {

    /** OHLC sanity: high is the top, low the bottom, nothing negative or non-finite. */
    public boolean isSane() {
        return Double.isFinite(open) && Double.isFinite(high) && Double.isFinite(low) && Double.isFinite(close)
                && Double.isFinite(vwap)
                && low > 0 && high >= Math.max(open, close) && low <= Math.min(open, close)
                && volume >= 0 && tradeCount >= 0;
    }
}
