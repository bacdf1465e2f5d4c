package io.barsbackfill.simulator;

import java.time.Instant;

/**
 * The synthetic character of one ticker, derived only from its name: a base price between 5 and 800, a
 * price path made of a slow drift and three waves (years, weeks, hours), and its typical trading activity.
 */
record TickerProfile(
        String ticker,
        double basePrice,
        double yearlyDrift,
        Wave slow,
        Wave medium,
        Wave fast,
        double dailyVolume,
        double averageTradeSize) {

    private static final double SECONDS_PER_DAY = 86_400;
    /** The drift is anchored here so that prices around the data's middle stay near the base price. */
    private static final double ANCHOR_DAY = 18_262; // 2020-01-01

    record Wave(double amplitude, double periodDays, double phase) {
        double at(double day) {
            return amplitude * Math.sin(2 * Math.PI * day / periodDays + phase);
        }
    }

    static TickerProfile of(String ticker) {
        long h = StableHash.of(ticker);
        return new TickerProfile(
                ticker,
                5 + 795 * StableHash.unit(StableHash.of(h, 1)),
                -0.02 + 0.08 * StableHash.unit(StableHash.of(h, 2)),
                wave(h, 3, 0.20, 0.15, 500, 1500),
                wave(h, 4, 0.05, 0.05, 20, 90),
                wave(h, 5, 0.004, 0.004, 0.2, 1.5),
                Math.pow(10, 5 + 2.5 * StableHash.unit(StableHash.of(h, 6))),
                40 + 200 * StableHash.unit(StableHash.of(h, 7)));
    }

    private static Wave wave(
            long h, long salt, double minAmplitude, double amplitudeRange, double minPeriod, double maxPeriod) {
        return new Wave(
                minAmplitude + amplitudeRange * StableHash.unit(StableHash.of(h, salt, 1)),
                minPeriod + (maxPeriod - minPeriod) * StableHash.unit(StableHash.of(h, salt, 2)),
                2 * Math.PI * StableHash.unit(StableHash.of(h, salt, 3)));
    }

    /** The smooth "true" price at {@code t}; bars add their own noise around it. */
    double priceAt(Instant t) {
        double day = (t.getEpochSecond() + t.getNano() / 1e9) / SECONDS_PER_DAY;
        double logPrice = Math.log(basePrice)
                + yearlyDrift * (day - ANCHOR_DAY) / 365.25
                + slow.at(day)
                + medium.at(day)
                + fast.at(day);
        return Math.exp(logPrice);
    }
}
