package io.barsbackfill.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Answer of {@code audit}: the stored bars of finished runs compared with the NYSE calendar, symbol by symbol
 * and slice by slice. A session (for d1 a trading day, for w1 a week with a trading day) expects bars in its
 * slots: the bar lengths tiling the extended session 04:00-20:00 New York, one for d1 and w1.
 *
 * @param definition          the definition audited, or null for every run of the series
 * @param provider            the series audited: its provider, feed and adjustment
 * @param runs                successful runs audited (one per symbol, timeframe and slice)
 * @param sessionsExpected    sessions within those slices
 * @param barsStored          bars stored within those slices
 * @param slotsWithoutBar     slots of those sessions holding no bar (normal for thin tickers off-hours)
 * @param longestGap          most consecutive slots without a bar within one session
 * @param unexplainedSessions sessions without a bar that nothing explains: {@code sessions_unverified +
 *                            provider_holes}
 * @param barsOutsideSession  bars outside every extended session, or not at a day's (week's) start for d1
 *                            (w1): a timezone error
 * @param unexplainedGaps     {@code unexplainedSessions + barsOutsideSession}
 * @param gaps                every session without a bar, by class: {@code not_listed} (before the ticker's
 *                            first bar or after its last: not listed yet, delisted or renamed), {@code no_trades}
 *                            (a single-symbol request for the run's slice confirmed it empty), {@code
 *                            provider_holes} (confirmed empty, yet another timeframe of the series holds a bar
 *                            that day), {@code unverified} (nothing checked it)
 * @param emptyRuns           successful runs without a single bar although their slice has sessions (a
 *                            renamed or delisted ticker)
 * @param duplicates          bars beyond the first in one slot
 * @param summary             the findings in one line
 * @param symbols             the same figures per symbol and timeframe
 * @param findings            slices with unexplained gaps, duplicates or no bars (at most
 *                            {@code AuditService.MAX_FINDINGS})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditReport(
        String definition,
        String provider,
        String feed,
        String adjustment,
        long runs,
        long sessionsExpected,
        long barsStored,
        long slotsWithoutBar,
        long longestGap,
        long unexplainedSessions,
        long barsOutsideSession,
        long unexplainedGaps,
        long emptyRuns,
        long duplicates,
        GapCounts gaps,
        String summary,
        List<SymbolAudit> symbols,
        List<Finding> findings) {

    /** Sessions without a bar, by class. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record GapCounts(long notListed, long noTrades, long providerHoles, long unverified) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SymbolAudit(
            String symbol,
            String timeframe,
            long slices,
            long sessionsExpected,
            long barsStored,
            long slotsWithoutBar,
            long longestGap,
            long unexplainedSessions,
            long barsOutsideSession,
            long emptyRuns,
            long duplicates,
            GapCounts gaps) {}

    /** One slice that needs a look. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Finding(
            String symbol,
            String timeframe,
            String sliceFrom,
            String sliceTo,
            long sessionsExpected,
            long barsStored,
            long unexplainedSessions,
            long barsOutsideSession,
            long duplicates,
            GapCounts gaps) {}
}
