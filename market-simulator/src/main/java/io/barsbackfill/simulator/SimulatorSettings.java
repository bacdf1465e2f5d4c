package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Ticker;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a {@link MarketSimulator} behaves.
 *
 * @param universe          the tickers it knows; any other symbol makes an Alpaca request fail with 400 and gets
 *                          no results from Massive
 * @param requestsPerMinute bars requests allowed per wall-clock minute, 0 for unlimited
 * @param errorRate         probability (0..1) that a bars request is answered with a 500 instead
 * @param latency           delay added before every answer
 * @param seed              seeds the sequence of injected faults
 * @param keyId             when present (with {@code secretKey}), the required {@code APCA-API-KEY-ID}
 * @param secretKey         when present (with {@code keyId}), the required {@code APCA-API-SECRET-KEY}
 * @param faults            provider faults in force at start (changeable at runtime, see {@link MarketSimulator})
 * @param massive           the Massive side's key, rate limit and {@code next_url} mode; {@code requestsPerMinute},
 *                          {@code keyId} and {@code secretKey} are Alpaca's
 */
public record SimulatorSettings(
        Set<String> universe,
        int requestsPerMinute,
        double errorRate,
        Duration latency,
        long seed,
        Optional<String> keyId,
        Optional<String> secretKey,
        SimulatorFaults faults,
        MassiveSettings massive) {

    /** The original system's 61 tickers, plus a few more. */
    public static final List<String> DEFAULT_UNIVERSE = List.of(
            "A",
            "AA",
            "AAPL",
            "ABTC",
            "ACN",
            "AI",
            "AMAT",
            "AMD",
            "AMZN",
            "APP",
            "AVGO",
            "AXP",
            "BHAT",
            "BIT",
            "BMNR",
            "BRK.A",
            "BTDR",
            "CRWD",
            "DIA",
            "DIS",
            "DKS",
            "FICO",
            "GBTC",
            "GOOG",
            "GOOGL",
            "GSHD",
            "GT",
            "HOOD",
            "IDXX",
            "IWM",
            "JNJ",
            "JPM",
            "LIN",
            "LLY",
            "MA",
            "META",
            "MSFT",
            "MU",
            "NFLX",
            "NVDA",
            "NXPI",
            "ORCL",
            "PL",
            "PLTR",
            "QQQ",
            "RTX",
            "SLB",
            "SMPL",
            "SPY",
            "TJX",
            "TMUS",
            "TSLA",
            "UNH",
            "V",
            "VIX",
            "VOXX",
            "VZ",
            "WMT",
            "XOM",
            "ZBH",
            "ZIM",
            // beyond the original universe
            "BRK.B",
            "COST",
            "IBM",
            "INTC",
            "KO",
            "PEP");

    public SimulatorSettings {
        Objects.requireNonNull(universe, "universe");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(massive, "massive");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(secretKey, "secretKey");
        if (universe.isEmpty()) {
            throw new IllegalArgumentException("universe must not be empty");
        }
        for (String symbol : universe) {
            if (symbol == null
                    || Ticker.parse(symbol)
                            .filter(t -> t.value().equals(symbol))
                            .isEmpty()) {
                throw new IllegalArgumentException("not a ticker (" + Ticker.FORMAT + "): " + symbol);
            }
        }
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("requestsPerMinute must be >= 0 (0 = unlimited): " + requestsPerMinute);
        }
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("errorRate must be within 0..1: " + errorRate);
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        if (keyId.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("keyId and secretKey must be set together");
        }
        if (keyId.filter(String::isBlank).isPresent()
                || secretKey.filter(String::isBlank).isPresent()) {
            throw new IllegalArgumentException("keyId and secretKey must not be blank");
        }
        universe = Collections.unmodifiableSortedSet(new TreeSet<>(universe));
    }

    /** The default universe, unlimited, no errors, no latency, seed 42, no keys required. */
    public static SimulatorSettings defaults() {
        return new SimulatorSettings(
                Set.copyOf(DEFAULT_UNIVERSE),
                0,
                0,
                Duration.ZERO,
                42,
                Optional.empty(),
                Optional.empty(),
                SimulatorFaults.NONE,
                MassiveSettings.DEFAULTS);
    }

    public SimulatorSettings withUniverse(Collection<String> universe) {
        return new SimulatorSettings(
                Set.copyOf(universe), requestsPerMinute, errorRate, latency, seed, keyId, secretKey, faults, massive);
    }

    public SimulatorSettings withUniverse(String... universe) {
        return withUniverse(List.of(universe));
    }

    public SimulatorSettings withRequestsPerMinute(int requestsPerMinute) {
        return new SimulatorSettings(
                universe, requestsPerMinute, errorRate, latency, seed, keyId, secretKey, faults, massive);
    }

    public SimulatorSettings withErrorRate(double errorRate) {
        return new SimulatorSettings(
                universe, requestsPerMinute, errorRate, latency, seed, keyId, secretKey, faults, massive);
    }

    public SimulatorSettings withLatency(Duration latency) {
        return new SimulatorSettings(
                universe, requestsPerMinute, errorRate, latency, seed, keyId, secretKey, faults, massive);
    }

    public SimulatorSettings withSeed(long seed) {
        return new SimulatorSettings(
                universe, requestsPerMinute, errorRate, latency, seed, keyId, secretKey, faults, massive);
    }

    public SimulatorSettings withKeys(String keyId, String secretKey) {
        return new SimulatorSettings(
                universe,
                requestsPerMinute,
                errorRate,
                latency,
                seed,
                Optional.of(keyId),
                Optional.of(secretKey),
                faults,
                massive);
    }

    public SimulatorSettings withFaults(SimulatorFaults faults) {
        return new SimulatorSettings(
                universe, requestsPerMinute, errorRate, latency, seed, keyId, secretKey, faults, massive);
    }

    public SimulatorSettings withMassive(MassiveSettings massive) {
        return new SimulatorSettings(
                universe, requestsPerMinute, errorRate, latency, seed, keyId, secretKey, faults, massive);
    }

    /** Keys are secrets: never print them. */
    @Override
    public String toString() {
        return "SimulatorSettings[universe=" + universe.size() + " tickers, requestsPerMinute=" + requestsPerMinute
                + ", errorRate=" + errorRate + ", latency=" + latency + ", seed=" + seed
                + ", keysRequired=" + keyId.isPresent() + ", faults=" + faults + ", massive=" + massive + "]";
    }
}
