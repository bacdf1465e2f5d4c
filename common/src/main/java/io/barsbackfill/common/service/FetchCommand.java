package io.barsbackfill.common.service;

import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import java.util.List;

/**
 * Validated fetch input: leased runs with distinct tickers, all for one timeframe and slice. {@code feed} and
 * {@code adjustment} are null when the request leaves the series to the runs; when set, the runs must be of
 * that series.
 */
public record FetchCommand(Timeframe timeframe, Slice slice, String feed, String adjustment, List<LeasedRun> runs) {}
