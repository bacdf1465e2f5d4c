package io.barsbackfill.orchestrator;

import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import java.util.List;
import java.util.UUID;

/**
 * Runs claimed together: one timeframe, one series, real tickers taken from the claimed rows, each run with its
 * own lease and its own slice ({@code slices[i]} is the slice of {@code runs[i]}); {@code slice} is their union,
 * the window asked of the provider. One dispatch is one HTTP request to a fetcher.
 */
public record Dispatch(
        UUID id, Timeframe timeframe, Series series, Slice slice, List<LeasedRun> runs, List<Slice> slices) {

    public Dispatch {
        runs = List.copyOf(runs);
        slices = List.copyOf(slices);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a dispatch holds at least one run");
        }
        if (runs.size() != slices.size()) {
            throw new IllegalArgumentException("one slice per run");
        }
    }

    /** Every run of the one slice {@code slice}. */
    public Dispatch(UUID id, Timeframe timeframe, Series series, Slice slice, List<LeasedRun> runs) {
        this(id, timeframe, series, slice, runs, runs.stream().map(r -> slice).toList());
    }

    public boolean isSingle() {
        return runs.size() == 1;
    }

    /** Whether every run is of the whole window (the original batch contract, without {@code froms}/{@code tos}). */
    public boolean isOneSlice() {
        return slices.stream().allMatch(slice::equals);
    }

    /**
     * For logs and error messages: {@code h1 [2024-01-01T00:00:00Z, 2024-02-01T00:00:00Z) x3}, and for runs of
     * several slices {@code h1 [2024-01-01T00:00:00Z, 2024-06-01T00:00:00Z) x250 in 5 slices}.
     */
    public String describe() {
        String base = timeframe + " [" + slice.from() + ", " + slice.to() + ") x" + runs.size();
        return isOneSlice() ? base : base + " in " + slices.stream().distinct().count() + " slices";
    }
}
