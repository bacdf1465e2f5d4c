package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.repository.DatabaseClock;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.DefinitionConflictException;
import io.barsbackfill.orchestrator.UnknownTickersException;
import io.barsbackfill.orchestrator.repository.DefinitionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code enqueue}: checks the tickers of a validated {@link NewDefinition} with the provider and stores it.
 * Ticks plan it. A name already taken fails with {@link DefinitionConflictException}; a ticker the provider
 * does not know with {@link UnknownTickersException}, unless {@code on_unknown} is {@code skip}: then the known
 * tickers are enqueued and the others listed in {@code skipped} (the exception again when none is known). Only
 * the {@code symbols} table remembers an unknown ticker. Nothing here walks the window: slices are counted, so the
 * answer costs the same for a day or for decades.
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

    public Uni<Enqueued> enqueue(NewDefinition requested) {
        boolean skip = requested.onUnknown() == NewDefinition.OnUnknown.skip;
        return definitions
                .byName(requested.name())
                .invoke(existing -> existing.ifPresent(e -> {
                    throw new DefinitionConflictException(requested.name());
                }))
                .chain(() -> verifier.unknown(requested.series().provider(), requested.symbols(), skip))
                .chain(unknown -> {
                    if (!unknown.isEmpty()
                            && (!skip || unknown.size() == requested.symbols().size())) {
                        throw new UnknownTickersException(requested.symbols(), unknown, skip);
                    }
                    NewDefinition d = requested.withSymbols(requested.symbols().stream()
                            .filter(t -> !unknown.containsKey(t))
                            .toList());
                    return definitions
                            .insert(d.name(), d.symbols(), d.timeframe(), d.series(), d.from(), d.to(), d.priority())
                            .chain(created -> databaseClock.now().map(now -> enqueued(created, unknown, now)));
                })
                .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                .transform(e -> new DefinitionConflictException(requested.name()))
                .invoke(r -> LOG.infof(
                        "definition %s created: %d symbols %s %s from %s, %d slices, %d tickers skipped",
                        r.definition().name(),
                        r.definition().symbols().size(),
                        r.definition().timeframe(),
                        r.definition().series(),
                        r.definition().windowFrom(),
                        r.slices(),
                        r.skipped().size()));
    }

    /** {@code now}: the database's, which the ticks plan against, so that {@code slices_ready} is what they plan. */
    private static Enqueued enqueued(Definition d, Map<Ticker, String> skipped, Instant now) {
        Instant horizon = TradingCalendar.nyse().historyHorizon(now);
        return new Enqueued(
                d,
                skipped,
                SlicePlan.count(d.timeframe(), d.windowFrom(), d.windowTo(), horizon),
                SlicePlan.countReady(d.timeframe(), d.windowFrom(), d.windowTo(), horizon));
    }
}
