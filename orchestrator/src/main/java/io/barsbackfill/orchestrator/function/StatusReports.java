package io.barsbackfill.orchestrator.function;

import io.barsbackfill.common.domain.GateState;
import io.barsbackfill.orchestrator.StatusFigures.Bars;
import io.barsbackfill.orchestrator.StatusFigures.Completeness;
import io.barsbackfill.orchestrator.StatusFigures.Counts;
import io.barsbackfill.orchestrator.StatusFigures.DefinitionFigures;
import io.barsbackfill.orchestrator.StatusFigures.ErrorGroup;
import io.barsbackfill.orchestrator.StatusFigures.Finished;
import io.barsbackfill.orchestrator.StatusFigures.Heartbeat;
import io.barsbackfill.orchestrator.StatusFigures.Totals;
import io.barsbackfill.orchestrator.api.StatusReport;
import io.barsbackfill.orchestrator.api.StatusReport.BarTotals;
import io.barsbackfill.orchestrator.api.StatusReport.CompletenessStatus;
import io.barsbackfill.orchestrator.api.StatusReport.DefinitionStatus;
import io.barsbackfill.orchestrator.api.StatusReport.FailureGroup;
import io.barsbackfill.orchestrator.api.StatusReport.HeartbeatStatus;
import io.barsbackfill.orchestrator.api.StatusReport.InFlight;
import io.barsbackfill.orchestrator.api.StatusReport.Progress;
import io.barsbackfill.orchestrator.api.StatusReport.ProviderStatus;
import io.barsbackfill.orchestrator.api.StatusReport.RefreshProgress;
import io.barsbackfill.orchestrator.api.StatusReport.RunCounts;
import io.barsbackfill.orchestrator.api.StatusReport.Throughput;
import io.barsbackfill.orchestrator.service.StatusService.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The figures of {@code status} as the wire {@link StatusReport}: the one place they are mapped. */
final class StatusReports {

    private StatusReports() {}

    static StatusReport of(Status s) {
        Totals t = s.totals();
        return new StatusReport(
                s.version(),
                s.now().toString(),
                runs(t.runs()),
                t.ready(),
                bars(t.bars()),
                progress(t.runs()),
                throughput(s.finished(), s.throughputWindow()),
                t.oldestQueuedSeconds(),
                new InFlight(t.dispatches(), t.leasedRuns(), s.maxInFlight(), t.expiredLeases()),
                failures(s.errors().failed()),
                failures(s.errors().retrying()),
                s.definitions().stream().map(StatusReports::definition).toList(),
                s.heartbeats().stream().map(StatusReports::heartbeat).toList(),
                provider(s.gates().get(0), s.now()),
                s.gates().stream().map(g -> provider(g, s.now())).toList());
    }

    private static RunCounts runs(Counts c) {
        return new RunCounts(c.queued(), c.running(), c.success(), c.failed(), c.cancelled(), c.total());
    }

    private static BarTotals bars(Bars b) {
        return new BarTotals(b.rowsWritten(), b.barsFetched());
    }

    /** Successful runs of all runs that are not cancelled. */
    private static Progress progress(Counts c) {
        return Progress.of(c.success(), c.total() - c.cancelled());
    }

    private static Throughput throughput(Finished f, Duration window) {
        long minutes = Math.max(1, window.toMinutes());
        return new Throughput(
                (int) minutes,
                f.succeeded(),
                f.failed(),
                f.barsFetched(),
                f.rowsWritten(),
                Math.round((f.succeeded() + f.failed()) * 100.0 / minutes) / 100.0);
    }

    private static List<FailureGroup> failures(List<ErrorGroup> groups) {
        return groups.stream()
                .map(g -> new FailureGroup(g.errorCode(), g.runs(), g.lastHour(), g.sample()))
                .toList();
    }

    private static DefinitionStatus definition(DefinitionFigures d) {
        return new DefinitionStatus(
                d.id().toString(),
                d.name(),
                d.enabled(),
                d.timeframe(),
                d.provider(),
                d.feed(),
                d.adjustment(),
                d.symbols(),
                IsoUtc.of(d.windowFrom()),
                IsoUtc.of(d.windowTo()),
                d.priority(),
                IsoUtc.of(d.plannedTo()),
                runs(d.runs()),
                bars(d.bars()),
                progress(d.runs()),
                d.refresh() == null
                        ? null
                        : new RefreshProgress(
                                IsoUtc.of(d.refresh().requestedAt()),
                                d.refresh().runs(),
                                d.refresh().pending(),
                                d.refresh().barsChanged()),
                completeness(d.completeness()));
    }

    private static CompletenessStatus completeness(Completeness c) {
        return new CompletenessStatus(
                c.sessionsExpected(),
                c.sessionsWithBars(),
                Progress.of(c.sessionsWithBars(), c.sessionsExpected()).percent(),
                c.sessionsVerifiedEmpty(),
                c.sessionsUnexplained(),
                c.runsVerified(),
                c.runsHealed(),
                c.runsUnchecked());
    }

    private static HeartbeatStatus heartbeat(Heartbeat h) {
        return new HeartbeatStatus(
                h.name(), h.status(), h.message(), h.version(), IsoUtc.of(h.lastSeen()), h.ageSeconds());
    }

    private static ProviderStatus provider(GateState gate, Instant now) {
        return new ProviderStatus(
                gate.provider(),
                gate.stateName(now),
                gate.reason(),
                iso(gate.since()),
                gate.lastError(),
                iso(gate.nextProbeAt()),
                gate.consecutiveFailures());
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
