package io.barsbackfill.common.domain;

import java.time.Instant;

/**
 * One OHLCV bar as the provider served it; {@code ts} is the bar's start. {@code vwap} and {@code tradeCount}
 * are null when the provider left them out: absent is not zero.
 */
public record Bar(
        Instant ts, double open, double high, double low, double close, long volume, Double vwap, Long tradeCount) {

    /** OHLC sanity: high is the top, low the bottom, nothing negative or non-finite. */
    public boolean isSane() {
        return Double.isFinite(open)
                && Double.isFinite(high)
                && Double.isFinite(low)
                && Double.isFinite(close)
                && (vwap == null || Double.isFinite(vwap))
                && low > 0
                && high >= Math.max(open, close)
                && low <= Math.min(open, close)
                && volume >= 0
                && (tradeCount == null || tradeCount >= 0);
    }
}
