package io.barsbackfill.common.domain;

import java.util.List;

/**
 * Which prices a bar holds: the provider's {@code feed} (exchange coverage) and its price {@code adjustment}.
 * Raw and split-adjusted bars of the same ticker and time are different data, so a series is part of the
 * identity of runs and bars. The names are Alpaca's query parameters; the database checks the same sets
 * ({@code is_feed}, {@code is_adjustment}).
 */
public record Series(String feed, String adjustment) {

    public static final List<String> FEEDS = List.of("iex", "sip", "delayed_sip", "boats", "overnight", "otc");
    public static final List<String> ADJUSTMENTS = List.of("raw", "split", "dividend", "spin-off", "all");

    public Series {
        if (!FEEDS.contains(feed)) {
            throw new IllegalArgumentException("feed must be one of " + String.join(" ", FEEDS) + ": " + feed);
        }
        if (!ADJUSTMENTS.contains(adjustment)) {
            throw new IllegalArgumentException(
                    "adjustment must be one of " + String.join(" ", ADJUSTMENTS) + ": " + adjustment);
        }
    }

    @Override
    public String toString() {
        return feed + "/" + adjustment;
    }
}
