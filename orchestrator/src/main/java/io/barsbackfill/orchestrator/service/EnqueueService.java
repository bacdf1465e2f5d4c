package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.repository.DatabaseClock;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.api.EnqueueResult;
import io.barsbackfill.orchestrator.api.EnqueueResult.Skipped;
import io.barsbackfill.orchestrator.repository.DefinitionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * {@code enqueue}: checks the tickers of a validated {@link NewDefinition} with the provider and stores it.
 * Ticks plan it. A name already taken is bad input (400 naming {@code name}); so is a ticker the provider
 * does not know (400 naming {@code symbols[i]}), unless {@code on_unknown} is {@code skip}: then the known
 * tickers are enqueued and the others listed in {@code skipped} (400 naming {@code symbols} when none is
 * known). Only the {@code symbols} table remembers an unknown ticker. Nothing here walks the window: slices
 * are counted, so the answer costs the same for a day or for decades.
 */
@ApplicationScoped
public class EnqueueService {

    private static final Logger LOG = Logger.getLogger(EnqueueService.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final DefinitionRepository definitions;
    private final SymbolVerifier verifier;
    private final DatabaseClock databaseClock;

    EnqueueService(DefinitionRepository definitions, SymbolVerifier verifier, DatabaseClock databaseClock) {
        this.databaseClock = databaseClock;
        this.definitions = definitions;
        this.verifier = verifier;
    }

    public Uni<EnqueueResult> enqueue(NewDefinition requested) {
        boolean skip = requested.onUnknown() == NewDefinition.OnUnknown.skip;
        return definitions
                .byName(requested.name())
                .invoke(existing -> existing.ifPresent(e -> {
                    throw nameTaken(requested.name());
                }))
                .chain(() -> verifier.unknown(requested.symbols(), skip))
                .chain(unknown -> {
                    if (!unknown.isEmpty() && !skip) {
                        throw unknownTickers(requested, unknown);
                    }
                    if (unknown.size() == requested.symbols().size()) {
                        throw new BadInputException(
                                "symbols",
                                "the provider knows none of these tickers: "
                                        + unknown.keySet().stream()
                                                .map(Ticker::value)
                                                .collect(Collectors.joining(", ")));
                    }
                    NewDefinition d = requested.withSymbols(requested.symbols().stream()
                            .filter(t -> !unknown.containsKey(t))
                            .toList());
                    List<Skipped> skipped = unknown.entrySet().stream()
                            .map(e -> new Skipped(e.getKey().value(), e.getValue()))
                            .toList();
                    return definitions
                            .insert(d.name(), d.symbols(), d.timeframe(), d.series(), d.from(), d.to(), d.priority())
                            .chain(created -> databaseClock.now().map(now -> result(created, skipped, now)));
                })
                .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                .transform(e -> nameTaken(requested.name()))
                .invoke(r -> LOG.infof(
                        "definition %s created: %d symbols %s %s/%s from %s, %d slices, %d tickers " + "skipped",
                        r.name(),
                        r.symbols().size(),
                        r.timeframe(),
                        r.feed(),
                        r.adjustment(),
                        r.windowFrom(),
                        r.slices(),
                        r.skipped().size()));
    }

    /** {@code now}: the database's, which the ticks plan against, so that {@code slices_ready} is what they plan. */
    private static EnqueueResult result(Definition d, List<Skipped> skipped, Instant now) {
        Instant horizon = TradingCalendar.nyse().historyHorizon(now);
        long slices = SlicePlan.count(d.timeframe(), d.windowFrom(), d.windowTo(), horizon);
        long ready = SlicePlan.countReady(d.timeframe(), d.windowFrom(), d.windowTo(), horizon);
        return new EnqueueResult(
                d.id().toString(),
                d.name(),
                d.symbols().stream().map(Ticker::value).toList(),
                d.timeframe().name(),
                d.series().feed(),
                d.series().adjustment(),
                d.windowFrom().toString(),
                d.windowTo() == null ? null : d.windowTo().toString(),
                d.priority(),
                d.enabled(),
                slices,
                ready,
                slices * d.symbols().size(),
                skipped);
    }

    private static BadInputException nameTaken(String name) {
        return new BadInputException(
                "name",
                "a definition named '" + name + "' already exists; choose another name (definitions are not replaced)");
    }

    private static BadInputException unknownTickers(NewDefinition d, Map<Ticker, String> unknown) {
        Ticker first =
                d.symbols().stream().filter(unknown::containsKey).findFirst().orElseThrow();
        int index = d.symbols().indexOf(first);
        String all = unknown.keySet().stream()
                .map(t -> "symbols[" + d.symbols().indexOf(t) + "]=" + t)
                .collect(Collectors.joining(", "));
        return new BadInputException(
                "symbols[" + index + "]",
                "the provider does not know " + (unknown.size() == 1 ? "this ticker" : "these tickers") + ": " + all
                        + " (on_unknown: \"skip\" enqueues the others)");
    }
}
