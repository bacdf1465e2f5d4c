package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import java.time.Instant;
import java.util.Set;

/**
 * The values of one bar: a pure function of ticker, timeframe and bar start. Open and close follow the
 * ticker's price path at the bar's start and end, with noise that grows with the bar's length; high, low and
 * VWAP bracket them; volume scales with the bar's share of a trading day and is thin outside regular hours.
 * The prices are split-adjusted ({@link Splits} turns them into raw ones). The bars of
 * {@link #WITHOUT_STATISTICS} leave VWAP and trade count out, as a provider may.
 */
final class BarFactory {

    /** Tickers whose bars carry no {@code vw} and no {@code n}. */
    static final Set<String> WITHOUT_STATISTICS = Set.of("VOXX");

    private static final double REGULAR_MINUTES_PER_DAY = 390;
    private static final double EXTENDED_HOURS_ACTIVITY = 0.08;
    private static final double MAX_NOISE = 0.03;

    private final TickerProfile profile;
    private final Timeframe timeframe;
    private final long seed;
    private final double noise;
    private final double tradingMinutes;
    private final boolean withStatistics;

    BarFactory(String ticker, Timeframe timeframe) {
        this.profile = TickerProfile.of(ticker);
        this.timeframe = timeframe;
        this.seed = StableHash.of(ticker + "|" + timeframe.alpacaName());
        this.withStatistics = !WITHOUT_STATISTICS.contains(ticker);
        double minutes = timeframe.barLength().toMinutes();
        this.noise = Math.min(MAX_NOISE, 0.0005 * Math.sqrt(minutes));
        this.tradingMinutes = switch (timeframe) {
            case d1 -> REGULAR_MINUTES_PER_DAY;
            case w1 -> 5 * REGULAR_MINUTES_PER_DAY;
            default -> minutes;
        };
    }

    Bar barAt(BarSlot slot) {
        Instant t = slot.t();
        long at = t.getEpochSecond();
        double open = round(profile.priceAt(t) * (1 + noise * StableHash.signed(StableHash.of(seed, at, 1))));
        double close = round(profile.priceAt(t.plus(timeframe.barLength()))
                * (1 + noise * StableHash.signed(StableHash.of(seed, at, 2))));
        double high = round(Math.max(open, close) * (1 + noise * StableHash.unit(StableHash.of(seed, at, 3))));
        double low = round(Math.min(open, close) * (1 - noise * StableHash.unit(StableHash.of(seed, at, 4))));
        // rounding is monotonic, so a rounded point between the rounded low and high stays between them
        double vwap = round(low + (high - low) * (0.25 + 0.5 * StableHash.unit(StableHash.of(seed, at, 5))));

        double activity = slot.regularHours() ? 1 : EXTENDED_HOURS_ACTIVITY;
        double expectedVolume = profile.dailyVolume() * tradingMinutes / REGULAR_MINUTES_PER_DAY * activity;
        long volume = Math.max(1, Math.round(expectedVolume * (0.5 + StableHash.unit(StableHash.of(seed, at, 6)))));
        double tradeSize = profile.averageTradeSize() * (0.6 + 0.8 * StableHash.unit(StableHash.of(seed, at, 7)));
        long tradeCount = Math.max(1, Math.min(volume, Math.round(volume / tradeSize)));
        return withStatistics
                ? new Bar(t, open, high, low, close, volume, vwap, tradeCount)
                : new Bar(t, open, high, low, close, volume, null, null);
    }

    private static double round(double price) {
        return Math.round(price * 10_000) / 10_000.0;
    }
}
