package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.orchestrator.Definition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code enqueue} stored: the definition (of the tickers the provider knows), the tickers it skipped with the
 * provider's reason, and its plan by the database's clock: {@code slices} in all, {@code slicesReady} of them final.
 */
public record Enqueued(Definition definition, Map<Ticker, String> skipped, long slices, long slicesReady) {

    public Enqueued {
        skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
    }

    /** The runs the definition plans: one per ticker and slice. */
    public long runs() {
        return slices * definition.symbols().size();
    }
}
