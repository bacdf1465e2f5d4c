package io.barsbackfill.orchestrator.metrics;

import io.barsbackfill.common.domain.GateState;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.provider.ProviderGate;
import io.barsbackfill.orchestrator.StatusFigures.Counts;
import io.barsbackfill.orchestrator.StatusFigures.Totals;
import io.barsbackfill.orchestrator.repository.StatusRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * The orchestrator's metrics at {@code /q/metrics} (names are a contract with users' dashboards). The queue figures
 * are the whole deployment's, read from the database's run counters after every tick (which first compacts the
 * counters) and every {@value #REFRESH} (a scrape never waits on the database): {@code backfill_runs{status}},
 * {@code backfill_dispatches_in_flight}, {@code backfill_queue_oldest_queued_seconds},
 * {@code backfill_provider_gate_open{provider}} (1 while that provider's health gate is open, so none of its runs is
 * claimed; one series per provider). Ticks are counted by result; claim latency is timed on the repository
 * ({@code backfill_claim_seconds}).
 */
@ApplicationScoped
public class OrchestratorMetrics {

    static final String REFRESH = "15s";
    private static final Logger LOG = Logger.getLogger(OrchestratorMetrics.class);
    private static final Map<String, ToDoubleFunction<Counts>> BY_STATUS = Map.of(
            "queued",
            Counts::queued,
            "running",
            Counts::running,
            "success",
            Counts::success,
            "failed",
            Counts::failed,
            "cancelled",
            Counts::cancelled);

    private static final List<String> GAUGE_NAMES = List.of(
            "backfill.runs",
            "backfill.dispatches.in.flight",
            "backfill.queue.oldest.queued.seconds",
            "backfill.provider.gate.open");

    private final MeterRegistry registry;
    private final StatusRepository status;
    private final ProviderGate gate;
    private final List<Meter> gauges = new ArrayList<>();
    private final AtomicReference<Reading<Totals>> last = new AtomicReference<>();
    private final AtomicReference<Reading<List<GateState>>> lastGates = new AtomicReference<>();

    OrchestratorMetrics(MeterRegistry registry, StatusRepository status, ProviderGate gate) {
        this.registry = registry;
        this.status = status;
        this.gate = gate;
        takeOverNames();
        BY_STATUS.forEach((name, count) -> gauges.add(Gauge.builder(
                        "backfill.runs",
                        last,
                        t -> t.get() == null
                                ? Double.NaN
                                : count.applyAsDouble(t.get().value().runs()))
                .tag("status", name)
                .strongReference(true)
                .description("Runs in job_runs by status")
                .register(registry)));
        gauges.add(Gauge.builder(
                        "backfill.dispatches.in.flight",
                        last,
                        t -> t.get() == null ? Double.NaN : t.get().value().dispatches())
                .strongReference(true)
                .description("Dispatches holding live leases, across all orchestrators")
                .register(registry));
        gauges.add(Gauge.builder(
                        "backfill.queue.oldest.queued.seconds",
                        last,
                        t -> t.get() == null
                                ? Double.NaN
                                : t.get().value().oldestQueuedSeconds() == null
                                        ? 0
                                        : t.get().value().oldestQueuedSeconds())
                .strongReference(true)
                .description("Age of the oldest queued run (0 when none)")
                .register(registry));
        for (int i = 0; i < Series.PROVIDERS.size(); i++) {
            int provider = i;
            gauges.add(Gauge.builder(
                            "backfill.provider.gate.open",
                            lastGates,
                            g -> g.get() == null
                                    ? Double.NaN
                                    : g.get().value().get(provider).open() ? 1 : 0)
                    .tag("provider", Series.PROVIDERS.get(provider))
                    .strongReference(true)
                    .description("1 while the provider's health gate is open (none of its runs is claimed), else 0")
                    .register(registry));
        }
    }

    /**
     * The injected registry is Micrometer's global one, which outlives this application when another starts in the
     * same JVM (tests, dev mode's reloads), and a registration whose name is taken returns the meter already there,
     * bound to the state of the instance that registered it. One left there would show another instance's figures
     * (NaN for one that never read them) for good: so this instance removes any gauge of its names first, rather
     * than rely on every earlier instance having removed its own when it was destroyed.
     */
    private void takeOverNames() {
        for (String name : GAUGE_NAMES) {
            registry.find(name).meters().forEach(registry::remove);
        }
    }

    /**
     * Only this instance's gauges: a newer instance may have taken the names over (meters are equal by id, so
     * this compares identities).
     */
    @PreDestroy
    void unregister() {
        gauges.stream()
                .filter(g ->
                        registry.find(g.getId().getName()).meters().stream().anyMatch(m -> m == g))
                .forEach(registry::remove);
    }

    /** Counts the tick by its result ({@code healthy}, {@code warning}, {@code error}); refreshes the figures. */
    public Uni<Void> tickEnded(String result) {
        Counter.builder("backfill.ticks")
                .tag("result", result)
                .description("Ticks by result")
                .register(registry)
                .increment();
        return read(status.compactCounts());
    }

    @Scheduled(identity = "metrics-refresh", every = REFRESH, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return read(Uni.createFrom().voidItem());
    }

    /**
     * Compacting after each tick, not on the timer: a run changes (and appends a delta row) only once a tick has
     * planned, claimed or reaped it (an operator's retry or cancel appends one row per status it touches), so the
     * rows between two compactions are bounded by the runs the ticks keep in flight (the in-flight cap) at any load
     * and in every deployment; the timer does not fire in a frozen Lambda or a Knative pod scaled to zero, where
     * the external tick still does.
     */
    private Uni<Void> read(Uni<Void> first) {
        long started = System.nanoTime();
        return first.chain(status::totals)
                .invoke(totals -> keepNewest(last, new Reading<>(started, totals)))
                .chain(() -> Uni.join()
                        .all(Series.PROVIDERS.stream().map(gate::state).toList())
                        .andFailFast())
                .invoke(states -> keepNewest(lastGates, new Reading<>(started, states)))
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(e -> {
                    LOG.warnf("queue metrics not refreshed (the gauges keep their last values): %s", e.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * Refreshes overlap (after every tick, and on a schedule): a refresh that read the database earlier must not
     * overwrite what a later one read, or a gauge shows a gate closed that has opened since.
     */
    private static <T> void keepNewest(AtomicReference<Reading<T>> current, Reading<T> read) {
        current.accumulateAndGet(
                read, (old, neu) -> old == null || neu.startedNanos() - old.startedNanos() >= 0 ? neu : old);
    }

    /** A value and when the refresh that read it started ({@link System#nanoTime()}). */
    private record Reading<T>(long startedNanos, T value) {}
}
