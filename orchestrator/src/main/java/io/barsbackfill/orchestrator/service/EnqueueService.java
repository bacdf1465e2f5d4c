package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.function.BadInputException;
import io.barsbackfill.common.function.EnqueueResult;
import io.barsbackfill.common.function.OrchestratorRequest;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.barsbackfill.orchestrator.repository.DefinitionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * {@code enqueue}: validates the request, checks its tickers with the provider and stores the definition.
 * Ticks plan it. A name already taken is bad input (400 naming {@code name}); so is a ticker the provider
 * does not know (400 naming {@code symbols[i]}). Only the {@code symbols} table remembers a rejected ticker.
 */
@ApplicationScoped
public class EnqueueService {

    private static final Logger LOG = Logger.getLogger(EnqueueService.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final DefinitionRepository definitions;
    private final SymbolVerifier verifier;
    private final int maxSymbols;
    private final Series defaultSeries;

    EnqueueService(DefinitionRepository definitions, SymbolVerifier verifier, OrchestratorConfig config,
            BackfillConfig backfill) {
        this.definitions = definitions;
        this.verifier = verifier;
        this.maxSymbols = config.orchestrator().maxSymbols();
        this.defaultSeries = backfill.alpaca().defaultSeries();
    }

    public Uni<EnqueueResult> enqueue(OrchestratorRequest request) {
        NewDefinition d = NewDefinition.of(request, maxSymbols, defaultSeries);
        return definitions.byName(d.name())
                .invoke(existing -> existing.ifPresent(e -> {
                    throw nameTaken(d.name());
                }))
                .chain(() -> verifier.unknown(d.symbols()))
                .invoke(unknown -> {
                    if (!unknown.isEmpty()) {
                        throw unknownTickers(d, unknown);
                    }
                })
                .chain(() -> definitions.insert(d.name(), d.symbols(), d.timeframe(), d.series(), d.from(), d.to(),
                        d.priority()))
                .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                .transform(e -> nameTaken(d.name()))
                .map(this::result)
                .invoke(r -> LOG.infof("definition %s created: %d symbols %s %s/%s from %s, %d slices", r.name(),
                        r.symbols().size(), r.timeframe(), r.feed(), r.adjustment(), r.windowFrom(), r.slices()));
    }

    private EnqueueResult result(Definition d) {
        Instant horizon = TradingCalendar.nyse().historyHorizon(Instant.now());
        int slices = SlicePlan.all(d.timeframe(), d.windowFrom(), d.windowTo(), horizon).size();
        int ready = SlicePlan.ready(d.timeframe(), d.windowFrom(), d.windowTo(), horizon).size();
        return new EnqueueResult(d.id().toString(), d.name(), d.symbols().stream().map(Ticker::value).toList(),
                d.timeframe().name(), d.series().feed(), d.series().adjustment(), d.windowFrom().toString(),
                d.windowTo() == null ? null : d.windowTo().toString(), d.priority(), d.enabled(), slices, ready,
                (long) slices * d.symbols().size());
    }

    private static BadInputException nameTaken(String name) {
        return new BadInputException("name", "a definition named '" + name
                + "' already exists; choose another name (definitions are not replaced)");
    }

    private static BadInputException unknownTickers(NewDefinition d, Map<Ticker, String> unknown) {
        Ticker first = d.symbols().stream().filter(unknown::containsKey).findFirst().orElseThrow();
        int index = d.symbols().indexOf(first);
        String all = unknown.keySet().stream().map(t -> "symbols[" + d.symbols().indexOf(t) + "]=" + t)
                .collect(Collectors.joining(", "));
        return new BadInputException("symbols[" + index + "]",
                "the provider does not know " + (unknown.size() == 1 ? "this ticker" : "these tickers") + ": " + all);
    }
}
