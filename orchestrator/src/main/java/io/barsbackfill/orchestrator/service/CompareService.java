package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.DefinitionNotFoundException;
import io.barsbackfill.orchestrator.IncomparableDefinitionsException;
import io.barsbackfill.orchestrator.repository.CompareRepository;
import io.barsbackfill.orchestrator.repository.DefinitionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code compare}: two definitions' series of their common tickers over their common window, the independent
 * witness when a gap must be explained (a session one provider holds and the other lacks).
 */
@ApplicationScoped
public class CompareService {

    /** Sessions listed at most; the totals count them all. */
    public static final int MAX_SESSIONS = 500;

    private final DefinitionRepository definitions;
    private final CompareRepository compare;

    CompareService(DefinitionRepository definitions, CompareRepository compare) {
        this.definitions = definitions;
        this.compare = compare;
    }

    /** What to compare: definition names, and the relative difference above which two values differ. */
    public record ComparePair(String definition, String with, double tolerance) {}

    /**
     * The comparison of {@code definition}'s series with {@code with}'s over {@code symbols} (the tickers both
     * name) and {@code [from, to)} (both windows; {@code to} null: up to the last closed session).
     */
    public record Comparison(
            String definition,
            String with,
            Series series,
            Series withSeries,
            Timeframe timeframe,
            double tolerance,
            List<Ticker> symbols,
            Instant from,
            Instant to,
            int slicesCompared,
            int slicesNotFinished,
            Totals totals,
            List<Session> sessions) {}

    /** Over every session that disagrees, also those beyond {@link #MAX_SESSIONS}. */
    public record Totals(int sessions, long barsOnlyInDefinition, long barsOnlyInWith, long barsDiffering) {}

    /** One session of one slice where the series disagree. */
    public record Session(
            Ticker symbol,
            Instant sliceFrom,
            Instant sliceTo,
            LocalDate day,
            int barsOnlyInDefinition,
            int barsOnlyInWith,
            int barsDiffering,
            Instant firstDiffering) {}

    public Uni<Comparison> compare(ComparePair pair) {
        return definitions
                .named(pair.definition())
                .chain(a -> definitions
                        .named(pair.with())
                        .onFailure(DefinitionNotFoundException.class)
                        .transform(e -> new DefinitionNotFoundException(pair.with(), "with"))
                        .chain(b -> compare(a, b, pair.tolerance())));
    }

    private Uni<Comparison> compare(Definition a, Definition b, double tolerance) {
        if (a.id().equals(b.id())) {
            throw new IncomparableDefinitionsException("with names the same definition as definition: '" + a.name()
                    + "'; compare two definitions of different series");
        }
        if (a.timeframe() != b.timeframe()) {
            throw new IncomparableDefinitionsException("definition '" + a.name() + "' is " + a.timeframe() + " and '"
                    + b.name() + "' is " + b.timeframe() + "; compare definitions of the same timeframe");
        }
        List<Ticker> symbols =
                a.symbols().stream().filter(b.symbols()::contains).toList();
        if (symbols.isEmpty()) {
            throw new IncomparableDefinitionsException(
                    "definitions '" + a.name() + "' and '" + b.name() + "' have no ticker in common");
        }
        Instant from = later(a.windowFrom(), b.windowFrom());
        Instant to = a.windowTo() == null ? b.windowTo() : b.windowTo() == null ? a.windowTo() : earlier(a, b);
        return compare.differences(
                        symbols.stream().map(Ticker::value).toList(),
                        a.timeframe(),
                        a.series(),
                        b.series(),
                        from,
                        to,
                        tolerance)
                .map(d -> new Comparison(
                        a.name(),
                        b.name(),
                        a.series(),
                        b.series(),
                        a.timeframe(),
                        tolerance,
                        symbols,
                        from,
                        to,
                        d.compared(),
                        d.skipped(),
                        totals(d.sessions()),
                        d.sessions().stream()
                                .limit(MAX_SESSIONS)
                                .map(s -> new Session(
                                        new Ticker(s.symbol()),
                                        s.sliceFrom(),
                                        s.sliceTo(),
                                        s.day(),
                                        s.onlyInDefinition(),
                                        s.onlyInWith(),
                                        s.differing(),
                                        s.firstDiffering()))
                                .toList()));
    }

    private static Totals totals(List<CompareRepository.SessionDifference> sessions) {
        return new Totals(
                sessions.size(),
                sessions.stream()
                        .mapToLong(CompareRepository.SessionDifference::onlyInDefinition)
                        .sum(),
                sessions.stream()
                        .mapToLong(CompareRepository.SessionDifference::onlyInWith)
                        .sum(),
                sessions.stream()
                        .mapToLong(CompareRepository.SessionDifference::differing)
                        .sum());
    }

    private static Instant later(Instant x, Instant y) {
        return x.isAfter(y) ? x : y;
    }

    private static Instant earlier(Definition a, Definition b) {
        return a.windowTo().isBefore(b.windowTo()) ? a.windowTo() : b.windowTo();
    }
}
