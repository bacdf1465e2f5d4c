package io.barsbackfill.common.service;

import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import java.util.List;

/**
 * Validated fetch input: leased runs of one timeframe, run {@code i} of {@code slices[i]} (a symbol at most once
 * per slice, its slices not overlapping), all inside {@code window}. {@code feed} and {@code adjustment} are null
 * when the request leaves the series to the runs; when set, the runs must be of that series. {@code batch} only
 * changes how fields are named in error messages ({@code symbol} vs {@code symbols[3]}).
 */
public record FetchCommand(
        Timeframe timeframe,
        Slice window,
        String feed,
        String adjustment,
        List<LeasedRun> runs,
        List<Slice> slices,
        boolean batch) {

    public FetchCommand {
        runs = List.copyOf(runs);
        slices = List.copyOf(slices);
        if (runs.size() != slices.size()) {
            throw new IllegalArgumentException("one slice per run");
        }
    }

    /** Every run of the one slice {@code window}. */
    public FetchCommand(
            Timeframe timeframe, Slice window, String feed, String adjustment, List<LeasedRun> runs, boolean batch) {
        this(
                timeframe,
                window,
                feed,
                adjustment,
                runs,
                runs.stream().map(r -> window).toList(),
                batch);
    }

    public String field(String single, String list, int index) {
        return batch ? list + "[" + index + "]" : single;
    }
}
