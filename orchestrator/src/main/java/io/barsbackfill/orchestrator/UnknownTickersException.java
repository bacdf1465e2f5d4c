package io.barsbackfill.orchestrator;

import io.barsbackfill.common.domain.Ticker;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A new definition names tickers the provider does not know: {@code unknown} (with the provider's reason) of
 * {@code requested}. {@code skipping}: the definition asked to enqueue the known ones, and none was known.
 */
public class UnknownTickersException extends RuntimeException {

    private final List<Ticker> requested;
    private final Map<Ticker, String> unknown;
    private final boolean skipping;

    public UnknownTickersException(List<Ticker> requested, Map<Ticker, String> unknown, boolean skipping) {
        super("the provider does not know " + unknown.keySet(), null, false, false);
        this.requested = List.copyOf(requested);
        this.unknown = Collections.unmodifiableMap(new LinkedHashMap<>(unknown));
        this.skipping = skipping;
    }

    public List<Ticker> requested() {
        return requested;
    }

    /** In the order the provider's check listed them. */
    public Map<Ticker, String> unknown() {
        return unknown;
    }

    public boolean skipping() {
        return skipping;
    }
}
