package io.barsbackfill.common.service;

import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import java.util.List;

/**
 * Validated fetch input: leased runs of one timeframe, run {@code i} of {@code slices[i]} (a ticker at most once
 * per slice, its slices not overlapping), all inside {@code slice}, the window asked of the provider.
 * {@code provider} is the runs' provider (never null). {@code feed} and {@code adjustment} are null when the
 * request leaves them to the runs; when set, the runs must be of that series.
 */
public record FetchCommand(
        Timeframe timeframe,
        Slice slice,
        String provider,
        String feed,
        String adjustment,
        List<LeasedRun> runs,
        List<Slice> slices) {

    public FetchCommand {
        runs = List.copyOf(runs);
        slices = List.copyOf(slices);
        if (runs.size() != slices.size()) {
            throw new IllegalArgumentException("one slice per run");
        }
    }

    /** Every run of the one slice {@code slice}. */
    public FetchCommand(
            Timeframe timeframe, Slice slice, String provider, String feed, String adjustment, List<LeasedRun> runs) {
        this(
                timeframe,
                slice,
                provider,
                feed,
                adjustment,
                runs,
                runs.stream().map(r -> slice).toList());
    }
}
