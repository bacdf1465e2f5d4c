package io.barsbackfill.orchestrator.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Answer of {@code coverage}: one definition's runs as a grid, compact enough for 500 tickers. {@code symbols}
 * are the rows (the definition's order), {@code slices} the columns (slice starts, ascending);
 * {@code status[i]} has one letter per slice for {@code symbols[i]}: {@code q} queued, {@code r} running,
 * {@code s} success, {@code f} failed, {@code c} cancelled, {@code -} not planned yet; {@code bars[i][j]}
 * the bars that run wrote; {@code completeness[i][j]} the percent of its calendar sessions holding a bar (-1:
 * unknown, the run is not finished or finished before sessions were recorded).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CoverageReport(
        String definition,
        String timeframe,
        List<String> symbols,
        List<String> slices,
        List<String> status,
        List<int[]> bars,
        List<int[]> completeness) {}
