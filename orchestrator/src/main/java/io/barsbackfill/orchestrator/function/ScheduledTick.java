package io.barsbackfill.orchestrator.function;

import io.barsbackfill.orchestrator.service.TickService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The in-process trigger for long-running deployments: {@code backfill.orchestrator.schedule} (default
 * in {@code OrchestratorConfig}, {@code off} where a PingSource, CronJob or EventBridge rule posts {@code
 * {"action":"tick"}}).
 * SKIP only prevents overlap within this instance; across instances the claim lock and the idempotent
 * planning keep concurrent ticks safe.
 */
@ApplicationScoped
public class ScheduledTick {

    private final TickService ticks;

    ScheduledTick(TickService ticks) {
        this.ticks = ticks;
    }

    @Scheduled(
            identity = "orchestrator-tick",
            every = "${backfill.orchestrator.schedule}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return ticks.tick().replaceWithVoid();
    }
}
