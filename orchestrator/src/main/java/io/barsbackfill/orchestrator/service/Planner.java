package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.orchestrator.Definition;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.barsbackfill.orchestrator.repository.DefinitionRepository;
import io.barsbackfill.orchestrator.repository.PlanRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Plans every enabled definition: its next grid slices that ended before the history horizon become job
 * runs. A definition that fails to plan is an error of the tick; the others still plan.
 */
@ApplicationScoped
public class Planner {

    private static final Logger LOG = Logger.getLogger(Planner.class);

    private final DefinitionRepository definitions;
    private final PlanRepository plans;
    private final int maxAttempts;
    private final int maxRuns;

    Planner(
            DefinitionRepository definitions,
            PlanRepository plans,
            BackfillConfig backfill,
            OrchestratorConfig config) {
        this.definitions = definitions;
        this.plans = plans;
        this.maxAttempts = backfill.queue().maxAttempts();
        this.maxRuns = config.orchestrator().planMaxRuns();
    }

    /** {@code now}: the database's ({@code DatabaseClock}), never an instance's own clock. */
    public Uni<Planned> plan(Instant now, TickLog log) {
        Instant horizon = TradingCalendar.nyse().historyHorizon(now);
        AtomicInteger created = new AtomicInteger();
        return definitions
                .enabled()
                .call(defs -> Multi.createFrom()
                        .iterable(defs)
                        .onItem()
                        .transformToUniAndConcatenate(d -> planOne(d, horizon)
                                .invoke(created::addAndGet)
                                .onFailure()
                                .recoverWithItem(e -> {
                                    log.error("plan " + d.name(), e);
                                    return 0;
                                }))
                        .collect()
                        .last())
                .map(defs -> new Planned(defs.size(), created.get()))
                .onFailure()
                .recoverWithItem(e -> {
                    log.error("plan", e);
                    return new Planned(0, created.get());
                });
    }

    private Uni<Integer> planOne(Definition d, Instant horizon) {
        if (d.windowTo() != null && d.plannedTo() != null && !d.plannedTo().isBefore(d.windowTo())) {
            return Uni.createFrom().item(0); // fully planned
        }
        int slicesPerTick = Math.max(1, maxRuns / d.symbols().size());
        Function<Instant, List<Slice>> next = plannedTo ->
                SlicePlan.next(d.timeframe(), d.windowFrom(), d.windowTo(), plannedTo, horizon, slicesPerTick);
        return plans.plan(d, next, maxAttempts).map(inserted -> {
            inserted.ifPresent(n -> {
                if (n > 0) {
                    LOG.infof(
                            "planned %d runs for %s (%s, %d symbols)",
                            n, d.name(), d.timeframe(), d.symbols().size());
                }
            });
            return inserted.orElse(0);
        });
    }

    /** {@code scanned} definitions examined, {@code created} runs inserted. */
    public record Planned(int scanned, int created) {}
}
