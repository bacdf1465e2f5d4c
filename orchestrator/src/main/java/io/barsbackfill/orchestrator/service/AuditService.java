package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.CalendarPeriods;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.function.AuditReport;
import io.barsbackfill.orchestrator.function.AuditReport.Finding;
import io.barsbackfill.orchestrator.function.AuditReport.SymbolAudit;
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
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code audit}: compares the stored bars of finished runs with the NYSE calendar. Scope: one definition
 * (its series), or every successful run of a series ({@code feed}/{@code adjustment}, by default the
 * settings'). Counting happens in the database ({@link AuditRepository}); this adds the calendar and totals.
 */
@ApplicationScoped
public class AuditService {

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

    public Uni<AuditReport> audit(AuditScope scope) {
        if (scope.definition() == null) {
            return audit(null, scope.series());
        }
        return definitions.named(scope.definition()).chain(d -> audit(d, d.series()));
    }

    private Uni<AuditReport> audit(Definition definition, Series series) {
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

    static AuditReport report(String definition, Series series, List<RunAudit> runs) {
        Map<String, List<RunAudit>> bySymbol = new LinkedHashMap<>();
        runs.forEach(r -> bySymbol.computeIfAbsent(r.symbol() + " " + r.timeframe(), k -> new ArrayList<>())
                .add(r));
        List<SymbolAudit> symbols =
                bySymbol.values().stream().map(AuditService::symbol).toList();
        List<Finding> findings = runs.stream()
                .filter(r -> r.unexplainedSessions() > 0 || r.barsOutside() > 0 || r.duplicates() > 0 || r.isEmpty())
                .limit(AuditReport.MAX_FINDINGS)
                .map(r -> new Finding(
                        r.symbol(),
                        r.timeframe().name(),
                        r.sliceFrom().toString(),
                        r.sliceTo().toString(),
                        r.sessions(),
                        r.bars(),
                        r.unexplainedSessions(),
                        r.barsOutside(),
                        r.duplicates()))
                .toList();
        SymbolAudit all = total(runs);
        long unexplained = all.unexplainedSessions() + all.barsOutsideSession();
        long slots = runs.stream().mapToLong(RunAudit::slots).sum();
        String summary = String.format(
                Locale.ROOT,
                "audit %s (%s): %,d slices of %,d symbols, %,d sessions, %,d bars; %,d slots without a bar (%.1f%%, "
                        + "longest gap %d); %d unexplained gaps, %d duplicates, %d empty runs",
                definition == null ? "all definitions" : definition,
                series,
                runs.size(),
                bySymbol.size(),
                all.sessionsExpected(),
                all.barsStored(),
                all.slotsWithoutBar(),
                slots == 0 ? 0.0 : all.slotsWithoutBar() * 100.0 / slots,
                all.longestGap(),
                unexplained,
                all.duplicates(),
                all.emptyRuns());
        return new AuditReport(
                definition,
                series.feed(),
                series.adjustment(),
                runs.size(),
                all.sessionsExpected(),
                all.barsStored(),
                all.slotsWithoutBar(),
                all.longestGap(),
                all.unexplainedSessions(),
                all.barsOutsideSession(),
                unexplained,
                all.emptyRuns(),
                all.duplicates(),
                summary,
                symbols,
                findings);
    }

    private static SymbolAudit symbol(List<RunAudit> runs) {
        SymbolAudit t = total(runs);
        return new SymbolAudit(
                runs.get(0).symbol(),
                runs.get(0).timeframe().name(),
                t.slices(),
                t.sessionsExpected(),
                t.barsStored(),
                t.slotsWithoutBar(),
                t.longestGap(),
                t.unexplainedSessions(),
                t.barsOutsideSession(),
                t.emptyRuns(),
                t.duplicates());
    }

    private static SymbolAudit total(List<RunAudit> runs) {
        return new SymbolAudit(
                null,
                null,
                runs.size(),
                runs.stream().mapToLong(RunAudit::sessions).sum(),
                runs.stream().mapToLong(RunAudit::bars).sum(),
                runs.stream().mapToLong(r -> r.slots() - r.slotsFilled()).sum(),
                runs.stream().mapToLong(RunAudit::longestGap).max().orElse(0),
                runs.stream().mapToLong(RunAudit::unexplainedSessions).sum(),
                runs.stream().mapToLong(RunAudit::barsOutside).sum(),
                runs.stream().filter(RunAudit::isEmpty).count(),
                runs.stream().mapToLong(RunAudit::duplicates).sum());
    }
}
