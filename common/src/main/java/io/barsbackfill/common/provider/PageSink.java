package io.barsbackfill.common.provider;

import io.barsbackfill.common.domain.Ticker;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;

/**
 * Takes each page of a fetch as it arrives, per symbol in the order served: symbol by symbol, each in time order.
 * Answers whether to go on: false stops the fetch with {@link FetchAbandonedException} (a fetcher that lost every
 * lease). A failure fails the fetch. {@code last} is true on the fetch's last page only.
 */
@FunctionalInterface
public interface PageSink {
    Uni<Boolean> accept(Map<Ticker, List<ServedBar>> page, boolean last);
}
