package io.barsbackfill.orchestrator.function;

import io.barsbackfill.common.domain.JobStatus;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.orchestrator.CounterDifference;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.GapClasses;
import io.barsbackfill.orchestrator.Removal;
import io.barsbackfill.orchestrator.api.AuditReport;
import io.barsbackfill.orchestrator.api.AuditReport.Finding;
import io.barsbackfill.orchestrator.api.AuditReport.GapCounts;
import io.barsbackfill.orchestrator.api.AuditReport.SymbolAudit;
import io.barsbackfill.orchestrator.api.CompareReport;
import io.barsbackfill.orchestrator.api.CoverageReport;
import io.barsbackfill.orchestrator.api.EnqueueResult;
import io.barsbackfill.orchestrator.api.RecountResult;
import io.barsbackfill.orchestrator.api.RemoveResult;
import io.barsbackfill.orchestrator.api.TickResult;
import io.barsbackfill.orchestrator.service.AuditService.Audit;
import io.barsbackfill.orchestrator.service.AuditService.Figures;
import io.barsbackfill.orchestrator.service.CompareService.Comparison;
import io.barsbackfill.orchestrator.service.CompareService.Totals;
import io.barsbackfill.orchestrator.service.CoverageService.Grid;
import io.barsbackfill.orchestrator.service.Enqueued;
import io.barsbackfill.orchestrator.service.QueueControlService.Remove;
import io.barsbackfill.orchestrator.service.TickSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The results of {@code tick}, {@code enqueue}, {@code coverage}, {@code audit}, {@code remove} and
 * {@code recount} as their wire answers: the one place they are mapped ({@link StatusReports} maps
 * {@code status}).
 */
final class OrchestratorAnswers {

    /** The letter of a slice without a run yet. */
    private static final char NOT_PLANNED = '-';

    private OrchestratorAnswers() {}

    static TickResult tick(TickSummary t) {
        return new TickResult(
                t.scanned(),
                t.slicesCreated(),
                t.jobsDispatched(),
                t.reaped(),
                t.errors(),
                t.duration().toMillis(),
                t.status(),
                t.instance(),
                t.dispatches(),
                t.runsReleased(),
                t.runsFailed(),
                t.gate());
    }

    static EnqueueResult enqueue(Enqueued e) {
        Definition d = e.definition();
        return new EnqueueResult(
                d.id().toString(),
                d.name(),
                d.symbols().stream().map(Ticker::value).toList(),
                d.timeframe().name(),
                d.series().provider(),
                d.series().feed(),
                d.series().adjustment(),
                d.windowFrom().toString(),
                d.windowTo() == null ? null : d.windowTo().toString(),
                d.priority(),
                d.enabled(),
                e.slices(),
                e.slicesReady(),
                e.runs(),
                e.skipped().entrySet().stream()
                        .map(s -> new EnqueueResult.Skipped(s.getKey().value(), s.getValue()))
                        .toList());
    }

    static RemoveResult remove(Remove r, Removal done) {
        return new RemoveResult(
                "remove",
                r.definition(),
                r.dryRun(),
                !r.dryRun(),
                done.runsCancelled(),
                done.runsShared(),
                r.deleteBars() ? done.barsDeleted() : null);
    }

    static RecountResult recount(List<CounterDifference> found) {
        return new RecountResult(
                "recount",
                found.size(),
                !found.isEmpty(),
                found.stream()
                        .map(d -> new RecountResult.Difference(
                                d.definitionId() == null
                                        ? null
                                        : d.definition() == null
                                                ? d.definitionId().toString()
                                                : d.definition(),
                                d.status(),
                                d.countedRuns(),
                                d.actualRuns(),
                                d.countedRowsWritten(),
                                d.actualRowsWritten(),
                                d.countedBarsFetched(),
                                d.actualBarsFetched()))
                        .toList());
    }

    static CoverageReport coverage(Grid g) {
        return new CoverageReport(
                g.definition(),
                g.timeframe().name(),
                g.symbols().stream().map(Ticker::value).toList(),
                g.slices().stream().map(Instant::toString).toList(),
                g.status().stream()
                        .map(row -> Arrays.stream(row)
                                .map(s -> String.valueOf(letter(s)))
                                .collect(Collectors.joining()))
                        .toList(),
                g.bars(),
                g.completeness());
    }

    /** {@code q} queued, {@code r} running, {@code s} success, {@code f} failed, {@code c} cancelled. */
    private static char letter(JobStatus status) {
        return status == null ? NOT_PLANNED : status.name().charAt(0);
    }

    static AuditReport audit(Audit a) {
        Figures all = a.total();
        return new AuditReport(
                a.definition(),
                a.series().provider(),
                a.series().feed(),
                a.series().adjustment(),
                all.slices(),
                all.sessions(),
                all.bars(),
                all.slotsWithoutBar(),
                all.longestGap(),
                all.unexplainedSessions(),
                all.barsOutside(),
                all.unexplainedGaps(),
                all.emptyRuns(),
                all.duplicates(),
                gaps(all.gaps()),
                summary(a),
                a.symbols().stream()
                        .map(s -> symbol(s.symbol(), s.timeframe().name(), s.figures()))
                        .toList(),
                a.findings().stream()
                        .map(r -> new Finding(
                                r.symbol(),
                                r.timeframe().name(),
                                r.sliceFrom().toString(),
                                r.sliceTo().toString(),
                                r.sessions(),
                                r.bars(),
                                r.unexplainedSessions(),
                                r.barsOutside(),
                                r.duplicates(),
                                gaps(r.gaps())))
                        .toList());
    }

    private static GapCounts gaps(GapClasses g) {
        return new GapCounts(g.notListed(), g.noTrades(), g.providerHoles(), g.unverified());
    }

    private static SymbolAudit symbol(String symbol, String timeframe, Figures f) {
        return new SymbolAudit(
                symbol,
                timeframe,
                f.slices(),
                f.sessions(),
                f.bars(),
                f.slotsWithoutBar(),
                f.longestGap(),
                f.unexplainedSessions(),
                f.barsOutside(),
                f.emptyRuns(),
                f.duplicates(),
                gaps(f.gaps()));
    }

    static CompareReport compare(Comparison c) {
        Totals t = c.totals();
        return new CompareReport(
                c.definition(),
                c.with(),
                c.series().toString(),
                c.withSeries().toString(),
                c.timeframe().name(),
                c.tolerance(),
                c.symbols().stream().map(Ticker::value).toList(),
                IsoUtc.of(c.from()),
                c.to() == null ? null : IsoUtc.of(c.to()),
                c.slicesCompared(),
                c.slicesNotFinished(),
                t.sessions(),
                t.barsOnlyInDefinition(),
                t.barsOnlyInWith(),
                t.barsDiffering(),
                String.format(
                        Locale.ROOT,
                        "compare %s (%s) with %s (%s): %,d slices compared, %,d not finished in both; %,d sessions "
                                + "differ: %,d bars only in %s, %,d only in %s, %,d bars differ beyond %s",
                        c.definition(),
                        c.series(),
                        c.with(),
                        c.withSeries(),
                        c.slicesCompared(),
                        c.slicesNotFinished(),
                        t.sessions(),
                        t.barsOnlyInDefinition(),
                        c.definition(),
                        t.barsOnlyInWith(),
                        c.with(),
                        t.barsDiffering(),
                        BigDecimal.valueOf(c.tolerance()).stripTrailingZeros().toPlainString()),
                c.sessions().stream()
                        .map(s -> new CompareReport.SessionDifference(
                                s.symbol().value(),
                                IsoUtc.of(s.sliceFrom()),
                                IsoUtc.of(s.sliceTo()),
                                s.day().toString(),
                                s.barsOnlyInDefinition(),
                                s.barsOnlyInWith(),
                                s.barsDiffering(),
                                s.firstDiffering() == null ? null : IsoUtc.of(s.firstDiffering())))
                        .toList());
    }

    private static String summary(Audit a) {
        Figures all = a.total();
        return String.format(
                Locale.ROOT,
                "audit %s (%s): %,d slices of %,d symbols, %,d sessions, %,d bars; %,d slots without a bar (%.1f%%, "
                        + "longest gap %d); %d unexplained gaps, %d duplicates, %d empty runs; sessions without a bar: "
                        + "%d not listed, %d verified no trades, %d provider holes, %d unverified",
                a.definition() == null ? "all definitions" : a.definition(),
                a.series(),
                all.slices(),
                a.symbols().size(),
                all.sessions(),
                all.bars(),
                all.slotsWithoutBar(),
                all.slots() == 0 ? 0.0 : all.slotsWithoutBar() * 100.0 / all.slots(),
                all.longestGap(),
                all.unexplainedGaps(),
                all.duplicates(),
                all.emptyRuns(),
                all.gaps().notListed(),
                all.gaps().noTrades(),
                all.gaps().providerHoles(),
                all.gaps().unverified());
    }
}
