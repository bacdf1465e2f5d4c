package io.barsbackfill.common.domain;

import java.util.List;
import java.util.Map;

/**
 * Which prices a bar holds: the {@code provider} that served it, the provider's {@code feed} (exchange coverage)
 * and its price {@code adjustment}. Two providers' bars of the same ticker and time, or raw and split-adjusted
 * bars, are different data, so a series is part of the identity of runs and bars. Feeds and adjustments use
 * Alpaca's names; Massive serves consolidated ({@code sip}) bars, raw or split-adjusted ({@code adjusted=true}).
 * The database checks the same sets.
 */
public record Series(String provider, String feed, String adjustment) {

    public static final String ALPACA = "alpaca";
    public static final String MASSIVE = "massive";
    public static final List<String> PROVIDERS = List.of(ALPACA, MASSIVE);
    public static final List<String> FEEDS = List.of("iex", "sip", "delayed_sip", "boats", "overnight", "otc");
    public static final List<String> ADJUSTMENTS = List.of("raw", "split", "dividend", "spin-off", "all");

    /** What each provider serves, a subset of {@link #FEEDS} and {@link #ADJUSTMENTS}. */
    private static final Map<String, List<String>> FEEDS_BY_PROVIDER = Map.of(ALPACA, FEEDS, MASSIVE, List.of("sip"));

    private static final Map<String, List<String>> ADJUSTMENTS_BY_PROVIDER =
            Map.of(ALPACA, ADJUSTMENTS, MASSIVE, List.of("raw", "split"));

    public Series {
        if (!PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException(
                    "provider must be one of " + String.join(" ", PROVIDERS) + ": " + provider);
        }
        List<String> feeds = FEEDS_BY_PROVIDER.get(provider);
        if (!feeds.contains(feed)) {
            throw new IllegalArgumentException(
                    "feed must be one of " + String.join(" ", feeds) + " for " + provider + ": " + feed);
        }
        List<String> adjustments = ADJUSTMENTS_BY_PROVIDER.get(provider);
        if (!adjustments.contains(adjustment)) {
            throw new IllegalArgumentException("adjustment must be one of " + String.join(" ", adjustments) + " for "
                    + provider + ": " + adjustment);
        }
    }

    /** The feeds {@code provider} (one of {@link #PROVIDERS}) serves. */
    public static List<String> feeds(String provider) {
        return FEEDS_BY_PROVIDER.get(provider);
    }

    /** The adjustments {@code provider} (one of {@link #PROVIDERS}) serves. */
    public static List<String> adjustments(String provider) {
        return ADJUSTMENTS_BY_PROVIDER.get(provider);
    }

    /** An Alpaca series: what every definition, run and bar was before a second provider existed. */
    public static Series alpaca(String feed, String adjustment) {
        return new Series(ALPACA, feed, adjustment);
    }

    @Override
    public String toString() {
        return provider + "/" + feed + "/" + adjustment;
    }
}
