package io.barsbackfill.orchestrator;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code job_definitions}. {@code name} is a label and never leaves the orchestrator towards a
 * fetcher; {@code symbols} are the tickers. {@code windowTo} null means "up to the last closed session";
 * {@code plannedTo} null means nothing planned yet. Its runs and bars are of its {@code series}.
 */
public record Definition(
        UUID id,
        String name,
        List<Ticker> symbols,
        Timeframe timeframe,
        Series series,
        Instant windowFrom,
        Instant windowTo,
        int priority,
        boolean enabled,
        Instant plannedTo) {}
