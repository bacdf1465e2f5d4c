package io.barsbackfill.orchestrator.metrics;

import io.barsbackfill.common.domain.GateState;
import io.barsbackfill.common.function.StatusReport.RunCounts;
import io.barsbackfill.common.function.TickResult;
import io.barsbackfill.common.service.ProviderGate;
import io.barsbackfill.orchestrator.repository.StatusRepository;
import io.barsbackfill.orchestrator.repository.StatusRepository.Totals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * The orchestrator's metrics at {@code /q/metrics} (names are a contract with users' dashboards). The queue figures
 * are the whole deployment's, read from the database's run counters after every tick and every {@value #REFRESH}
 * (a scrape never waits on the database; each refresh first compacts the counters): {@code backfill_runs{status}}, {@code backfill_dispatches_in_flight},
 * {@code backfill_queue_oldest_queued_seconds}, {@code backfill_provider_gate_open} (1 while the provider health gate
 * is open, so nothing is claimed). Ticks are counted by result; claim latency is timed on the
 * repository ({@code backfill_claim_seconds}).
 */
@ApplicationScoped
public class OrchestratorMetrics {

    static final String REFRESH = "15s";
    private static final Logger LOG = Logger.getLogger(OrchestratorMetrics.class);
    private static final Map<String, ToDoubleFunction<RunCounts>> BY_STATUS = Map.of(
            "queued",
            RunCounts::queued,
            "running",
            RunCounts::running,
            "success",
            RunCounts::success,
            "failed",
            RunCounts::failed,
            "cancelled",
            RunCounts::cancelled);

    private final MeterRegistry registry;
    private final StatusRepository status;
    private final ProviderGate gate;
    private final AtomicReference<Totals> last = new AtomicReference<>();
    private final AtomicReference<GateState> lastGate = new AtomicReference<>();

    OrchestratorMetrics(MeterRegistry registry, StatusRepository status, ProviderGate gate) {
        this.registry = registry;
        this.status = status;
        this.gate = gate;
        BY_STATUS.forEach((name, count) -> Gauge.builder(
                        "backfill.runs",
                        last,
                        t -> t.get() == null
                                ? Double.NaN
                                : count.applyAsDouble(t.get().runs()))
                .tag("status", name)
                .description("Runs in job_runs by status")
                .register(registry));
        Gauge.builder(
                        "backfill.dispatches.in.flight",
                        last,
                        t -> t.get() == null ? Double.NaN : t.get().dispatches())
                .description("Dispatches holding live leases, across all orchestrators")
                .register(registry);
        Gauge.builder(
                        "backfill.queue.oldest.queued.seconds",
                        last,
                        t -> t.get() == null
                                ? Double.NaN
                                : t.get().oldestQueuedSeconds() == null
                                        ? 0
                                        : t.get().oldestQueuedSeconds())
                .description("Age of the oldest queued run (0 when none)")
                .register(registry);
        Gauge.builder(
                        "backfill.provider.gate.open",
                        lastGate,
                        g -> g.get() == null ? Double.NaN : g.get().open() ? 1 : 0)
                .description("1 while the provider health gate is open (nothing is claimed), else 0")
                .register(registry);
    }

    /** Counts the tick by its result and refreshes the queue figures. */
    public Uni<Void> tickEnded(TickResult tick) {
        Counter.builder("backfill.ticks")
                .tag("result", tick.status())
                .description("Ticks by result")
                .register(registry)
                .increment();
        return refresh();
    }

    @Scheduled(identity = "metrics-refresh", every = REFRESH, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return status.compactCounts()
                .chain(status::totals)
                .invoke(last::set)
                .chain(gate::state)
                .invoke(lastGate::set)
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(e -> {
                    LOG.debugf("queue metrics not refreshed: %s", e.toString());
                    return Uni.createFrom().voidItem();
                });
    }
}
