package io.barsbackfill.orchestrator;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The figures {@code status}, the metrics and the heartbeat check read. Times are {@link Instant}s as stored:
 * PostgreSQL's {@code infinity} and {@code -infinity} are {@link Instant#MAX} and {@link Instant#MIN}.
 */
public final class StatusFigures {

    private StatusFigures() {}

    /** Runs by status. */
    public record Counts(long queued, long running, long success, long failed, long cancelled, long total) {}

    /** Bars stored (inserted or changed) and received by successful runs. */
    public record Bars(long rowsWritten, long barsFetched) {}

    /** Whole-queue figures; {@code oldestQueuedSeconds} null when nothing is queued. */
    public record Totals(
            Counts runs,
            long ready,
            Bars bars,
            Long oldestQueuedSeconds,
            long dispatches,
            long leasedRuns,
            long expiredLeases) {}

    /** Runs that ended within a window, and their bars. */
    public record Finished(long succeeded, long failed, long barsFetched, long rowsWritten) {}

    /** Runs with one error code: all of them, those of the last hour, and the latest message. */
    public record ErrorGroup(String errorCode, long runs, long lastHour, String sample) {}

    public record Errors(List<ErrorGroup> failed, List<ErrorGroup> retrying) {}

    /** A definition with its runs' figures; {@code refresh} null when it was never refreshed. */
    public record DefinitionFigures(
            UUID id,
            String name,
            boolean enabled,
            String timeframe,
            String provider,
            String feed,
            String adjustment,
            int symbols,
            Instant windowFrom,
            Instant windowTo,
            int priority,
            Instant plannedTo,
            Counts runs,
            Bars bars,
            Refreshed refresh,
            Completeness completeness) {}

    /**
     * What a definition's successful runs hold of their sessions: those expected and those holding a bar, those a
     * verification confirmed empty and those unexplained, and the runs verified, healed, and finished before the
     * sessions were recorded.
     */
    public record Completeness(
            long sessionsExpected,
            long sessionsWithBars,
            long sessionsVerifiedEmpty,
            long sessionsUnexplained,
            long runsVerified,
            long runsHealed,
            long runsUnchecked) {

        public static final Completeness NONE = new Completeness(0, 0, 0, 0, 0, 0, 0);
    }

    /** A definition's latest refresh: when, the runs it queued again, those still pending, bars changed. */
    public record Refreshed(Instant requestedAt, long runs, long pending, long barsChanged) {}

    /** An orchestrator instance's last tick; {@code ageSeconds} null when {@code lastSeen} is infinite. */
    public record Heartbeat(
            String name, String status, String message, String version, Instant lastSeen, Long ageSeconds) {}
}
