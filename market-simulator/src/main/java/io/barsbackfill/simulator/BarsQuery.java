package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Timeframe;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A validated bars request: symbols in request order without repeats, the inclusive time range
 * {@code [start, end]}, the price adjustment, the page size and where to resume.
 */
record BarsQuery(
        List<String> symbols,
        Timeframe timeframe,
        Instant start,
        Instant end,
        String adjustment,
        int limit,
        Optional<PageToken> resumeAt,
        String fingerprint) {

    List<String> symbolsInPageOrder() {
        return symbols.stream().sorted().toList();
    }
}
