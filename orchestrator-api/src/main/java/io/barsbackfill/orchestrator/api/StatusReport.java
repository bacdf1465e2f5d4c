package io.barsbackfill.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Answer of {@code status}: real counts over the whole queue (never a sample), per definition, recent
 * throughput and failures, dispatches in flight, and every orchestrator's heartbeat. Times are ISO-8601 UTC.
 *
 * @param version              build version of the orchestrator answering
 * @param generatedAt          when the report was made
 * @param runs                 runs by status
 * @param ready                queued runs that may be claimed now (the others wait for their backoff)
 * @param bars                 bars stored and fetched by successful runs
 * @param progress             successful runs of all runs not cancelled
 * @param throughput           runs and bars finished in the last {@code window_minutes}
 * @param oldestQueuedAgeSeconds age of the oldest queued run; null when nothing is queued
 * @param inFlight             dispatches (groups of runs) being fetched now, across all instances
 * @param failures             failed runs by error code
 * @param retrying             queued runs that carry the error of their last attempt, by error code
 * @param definitions          per definition, through the runs it asked for
 * @param heartbeats           orchestrator instances, most recently seen first
 * @param provider             Alpaca's health gate, as {@code providers[0]}: kept for scripts written when Alpaca
 *                             was the only provider
 * @param providers            every provider's health gate, in the order of {@code Series.PROVIDERS} (alpaca,
 *                             massive): while a provider's gate is not {@code closed} none of its runs is claimed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusReport(
        String version,
        String generatedAt,
        RunCounts runs,
        long ready,
        BarTotals bars,
        Progress progress,
        Throughput throughput,
        Long oldestQueuedAgeSeconds,
        InFlight inFlight,
        List<FailureGroup> failures,
        List<FailureGroup> retrying,
        List<DefinitionStatus> definitions,
        List<HeartbeatStatus> heartbeats,
        ProviderStatus provider,
        List<ProviderStatus> providers) {

    /**
     * One provider's health gate.
     *
     * @param name                the provider
     * @param state               {@code closed}, {@code open} or {@code half_open} (a probe is due or under way)
     * @param reason              error code that opened it ({@code PROVIDER_AUTH}: keys refused); null when closed
     * @param since               when it opened; null when closed
     * @param lastError           the latest provider-wide failure, kept after the gate closed
     * @param nextProbeAt         when the next probe request may go out; null when closed
     * @param consecutiveFailures provider-wide failures since the provider last answered
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProviderStatus(
            String name,
            String state,
            String reason,
            String since,
            String lastError,
            String nextProbeAt,
            int consecutiveFailures) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunCounts(long queued, long running, long success, long failed, long cancelled, long total) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BarTotals(long rowsWritten, long barsFetched) {}

    /** {@code done} successful runs of {@code total} runs that are not cancelled. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Progress(long done, long total, double percent) {

        public static Progress of(long done, long total) {
            return new Progress(done, total, total == 0 ? 0 : Math.round(done * 10000.0 / total) / 100.0);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Throughput(
            int windowMinutes,
            long runsSucceeded,
            long runsFailed,
            long barsFetched,
            long rowsWritten,
            double runsPerMinute) {}

    /**
     * @param dispatches    groups of runs leased and not expired, across all orchestrator instances
     * @param runs          runs in those groups still running
     * @param maxDispatches the configured cap ({@code backfill.orchestrator.max-in-flight})
     * @param expiredLeases running runs whose lease expired; the next tick reaps them
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record InFlight(long dispatches, long runs, int maxDispatches, long expiredLeases) {}

    /** Runs with one error code: all of them, those that ended in the last hour, and the latest message. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record FailureGroup(String errorCode, long runs, long lastHour, String sample) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DefinitionStatus(
            String id,
            String name,
            boolean enabled,
            String timeframe,
            String provider,
            String feed,
            String adjustment,
            int symbols,
            String windowFrom,
            String windowTo,
            int priority,
            String plannedTo,
            RunCounts runs,
            BarTotals bars,
            Progress progress,
            RefreshProgress refresh,
            CompletenessStatus completeness) {}

    /**
     * What the definition's successful runs hold of their calendar sessions (d1: trading days, w1: weeks with one):
     * {@code sessions_with_bars} of {@code sessions_expected} ({@code percent}); of the sessions without bars,
     * those a single-symbol request for the run's slice confirmed empty ({@code sessions_verified_empty}) and the
     * others ({@code sessions_unexplained}); the runs verified, those of them healed (the verification served bars
     * the first answer lacked), and runs finished before completeness was recorded ({@code runs_unchecked}).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CompletenessStatus(
            long sessionsExpected,
            long sessionsWithBars,
            double percent,
            long sessionsVerifiedEmpty,
            long sessionsUnexplained,
            long runsVerified,
            long runsHealed,
            long runsUnchecked) {}

    /**
     * The definition's latest {@code refresh}: when it was asked for, the runs it queued again, how many of them
     * are still queued or running, and the bars their new fetches changed (inserted or updated). Null when the
     * definition was never refreshed.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RefreshProgress(String requestedAt, long runs, long pending, long barsChanged) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HeartbeatStatus(
            String name, String status, String message, String version, String lastSeen, Long ageSeconds) {}
}
