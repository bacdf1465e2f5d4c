package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.CalendarPeriods;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.GapClasses;
import io.barsbackfill.orchestrator.repository.AuditRepository;
import io.barsbackfill.orchestrator.repository.AuditRepository.RunAudit;
import io.barsbackfill.orchestrator.repository.DefinitionRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code audit}: compares the stored bars of finished runs with the NYSE calendar. Scope: one definition
 * (its series), or every successful run of a series ({@code feed}/{@code adjustment}, by default the
 * settings'). Counting happens in the database ({@link AuditRepository}); this adds the calendar and totals.
 */
@ApplicationScoped
public class AuditService {

    /** Slices that need a look, at most, in an audit's findings. */
    public static final int MAX_FINDINGS = 200;

    /** Sessions around the audited slices, so that a gap at a slice's edge is judged by its neighbours. */
    private static final Duration MARGIN = Duration.ofDays(14);

    private final DefinitionRepository definitions;
    private final AuditRepository audits;

    AuditService(DefinitionRepository definitions, AuditRepository audits) {
        this.definitions = definitions;
        this.audits = audits;
    }

    /** What to audit: one definition (by name), or every run of one series. */
    public record AuditScope(String definition, Series series) {}

    /**
     * An audit's figures over some successful runs.
     *
     * @param slices              runs (one per symbol, timeframe and slice)
     * @param sessions            sessions within those slices
     * @param bars                bars stored within those slices
     * @param slots               slots of those sessions
     * @param slotsWithoutBar     slots holding no bar (normal for thin tickers off-hours)
     * @param longestGap          most consecutive slots without a bar within one session
     * @param gaps                sessions without a bar, by class: not listed, verified no trades, provider
     *                            holes, unverified
     * @param barsOutside         bars outside every extended session, or not at a day's (week's) start for d1
     *                            (w1): a timezone error
     * @param emptyRuns           runs without a single bar although their slice has sessions
     * @param duplicates          bars beyond the first in one slot
     */
    public record Figures(
            long slices,
            long sessions,
            long bars,
            long slots,
            long slotsWithoutBar,
            long longestGap,
            GapClasses gaps,
            long barsOutside,
            long emptyRuns,
            long duplicates) {

        static Figures of(List<RunAudit> runs) {
            return new Figures(
                    runs.size(),
                    runs.stream().mapToLong(RunAudit::sessions).sum(),
                    runs.stream().mapToLong(RunAudit::bars).sum(),
                    runs.stream().mapToLong(RunAudit::slots).sum(),
                    runs.stream().mapToLong(r -> r.slots() - r.slotsFilled()).sum(),
                    runs.stream().mapToLong(RunAudit::longestGap).max().orElse(0),
                    runs.stream().map(RunAudit::gaps).reduce(GapClasses.NONE, GapClasses::plus),
                    runs.stream().mapToLong(RunAudit::barsOutside).sum(),
                    runs.stream().filter(RunAudit::isEmpty).count(),
                    runs.stream().mapToLong(RunAudit::duplicates).sum());
        }

        /** Sessions without a bar that nothing explains: unverified ones and provider holes. */
        public long unexplainedSessions() {
            return gaps.unverified() + gaps.providerHoles();
        }

        /** Unexplained sessions plus bars outside every session. */
        public long unexplainedGaps() {
            return unexplainedSessions() + barsOutside;
        }
    }

    /** The figures of one symbol in one timeframe. */
    public record SymbolFigures(String symbol, Timeframe timeframe, Figures figures) {}

    /**
     * @param definition the definition audited, or null for every run of the series
     * @param findings   runs with unexplained gaps, duplicates or no bars (at most {@link #MAX_FINDINGS})
     */
    public record Audit(
            String definition, Series series, Figures total, List<SymbolFigures> symbols, List<RunAudit> findings) {}

    public Uni<Audit> audit(AuditScope scope) {
        if (scope.definition() == null) {
            return audit(null, scope.series());
        }
        return definitions.named(scope.definition()).chain(d -> audit(d, d.series()));
    }

    private Uni<Audit> audit(Definition definition, Series series) {
        UUID id = definition == null ? null : definition.id();
        return audits.scope(id, series)
                .chain(scopes -> Multi.createFrom()
                        .iterable(scopes)
                        .onItem()
                        .transformToUniAndConcatenate(s -> audits.audit(
                                id,
                                series,
                                s.timeframe(),
                                CalendarPeriods.of(s.timeframe(), s.from().minus(MARGIN), s.to().plus(MARGIN))))
                        .collect()
                        .in(ArrayList<RunAudit>::new, List::addAll))
                .map(runs -> report(definition == null ? null : definition.name(), series, runs));
    }

    static Audit report(String definition, Series series, List<RunAudit> runs) {
        Map<String, List<RunAudit>> bySymbol = new LinkedHashMap<>();
        runs.forEach(r -> bySymbol.computeIfAbsent(r.symbol() + " " + r.timeframe(), k -> new ArrayList<>())
                .add(r));
        List<SymbolFigures> symbols = bySymbol.values().stream()
                .map(rs -> new SymbolFigures(rs.get(0).symbol(), rs.get(0).timeframe(), Figures.of(rs)))
                .toList();
        List<RunAudit> findings = runs.stream()
                .filter(r -> r.unexplainedSessions() > 0 || r.barsOutside() > 0 || r.duplicates() > 0 || r.isEmpty())
                .limit(MAX_FINDINGS)
                .toList();
        return new Audit(definition, series, Figures.of(runs), symbols, findings);
    }
}
