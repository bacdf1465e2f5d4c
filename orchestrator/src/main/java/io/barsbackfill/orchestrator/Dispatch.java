package io.barsbackfill.orchestrator;

import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import java.util.List;
import java.util.UUID;

/**
 * Runs claimed together: one timeframe, one series, one slice, distinct real tickers taken from the claimed
 * rows, each with its own lease. One dispatch is one HTTP request to a fetcher.
 */
public record Dispatch(UUID id, Timeframe timeframe, Series series, Slice slice, List<LeasedRun> runs) {

    public Dispatch {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a dispatch holds at least one run");
        }
    }

    public boolean isSingle() {
        return runs.size() == 1;
    }

    /** For logs and error messages: {@code h1 [2024-01-01T00:00:00Z, 2024-02-01T00:00:00Z) x3}. */
    public String describe() {
        return timeframe + " [" + slice.from() + ", " + slice.to() + ") x" + runs.size();
    }
}
