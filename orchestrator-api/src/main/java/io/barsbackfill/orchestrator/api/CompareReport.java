package io.barsbackfill.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Answer of {@code compare}: the series of {@code definition} and of {@code with} over the tickers both name and
 * the window both cover, bar by bar, in the slices both fetched successfully.
 *
 * @param series              {@code definition}'s series, {@code provider/feed/adjustment}
 * @param withSeries          {@code with}'s series
 * @param tolerance           relative difference above which two prices (or volumes) differ
 * @param from                the common window's start
 * @param to                  its end, null: up to the last closed session
 * @param slicesCompared      slices (per ticker) that both series fetched successfully
 * @param slicesNotFinished   slices one of the two has not fetched successfully (yet): not compared
 * @param sessionsDiffering   sessions where the series disagree, all of them (the list holds at most 500)
 * @param barsOnlyInDefinition bars {@code definition}'s series holds and {@code with}'s lacks
 * @param barsOnlyInWith      bars {@code with}'s series holds and {@code definition}'s lacks
 * @param barsDiffering       bars both hold whose open, high, low, close or volume differ beyond the tolerance
 * @param summary             the figures in one line
 * @param sessions            the sessions that disagree, by ticker and day
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompareReport(
        String definition,
        String with,
        String series,
        String withSeries,
        String timeframe,
        double tolerance,
        List<String> symbols,
        String from,
        String to,
        int slicesCompared,
        int slicesNotFinished,
        int sessionsDiffering,
        long barsOnlyInDefinition,
        long barsOnlyInWith,
        long barsDiffering,
        String summary,
        List<SessionDifference> sessions) {

    /**
     * One session of one slice where the series disagree.
     *
     * @param day            the session's date (New York)
     * @param firstDiffering the start of the first bar whose values differ, null when none does
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SessionDifference(
            String symbol,
            String sliceFrom,
            String sliceTo,
            String day,
            int barsOnlyInDefinition,
            int barsOnlyInWith,
            int barsDiffering,
            String firstDiffering) {}
}
