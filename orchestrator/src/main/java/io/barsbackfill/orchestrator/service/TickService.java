package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.Messages;
import io.barsbackfill.common.metrics.Stopwatch;
import io.barsbackfill.common.repository.DatabaseClock;
import io.barsbackfill.common.repository.QueueRepository;
import io.barsbackfill.common.repository.QueueRepository.Reaped;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.barsbackfill.orchestrator.metrics.OrchestratorMetrics;
import io.barsbackfill.orchestrator.repository.ClaimRepository;
import io.barsbackfill.orchestrator.repository.HeartbeatRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * One tick: heartbeat, reap expired leases, plan definitions, probe each provider's gate when its probe is due,
 * claim and dispatch within the budget the runs of the providers whose gate is closed, heartbeat with the result.
 * An open gate is reported ({@code gate}, naming its provider; heartbeat {@code warning}), not as an error:
 * nothing is broken on our side. Each step runs even when an earlier one failed (reaping does not depend on any
 * definition being enabled); every failure is an entry of {@code errors}, never a silent zero.
 */
@ApplicationScoped
public class TickService {

    private static final Logger LOG = Logger.getLogger(TickService.class);

    private final HeartbeatRepository heartbeats;
    private final QueueRepository reaper;
    private final Planner planner;
    private final ClaimRepository claims;
    private final Dispatcher dispatcher;
    private final GateProbe gateProbe;
    private final InstanceIdentity identity;
    private final Duration budget;
    private final int maxInFlight;
    private final OrchestratorMetrics metrics;
    private final Clock clock;
    private final DatabaseClock databaseClock;

    TickService(
            HeartbeatRepository heartbeats,
            QueueRepository reaper,
            Planner planner,
            ClaimRepository claims,
            Dispatcher dispatcher,
            GateProbe gateProbe,
            InstanceIdentity identity,
            OrchestratorConfig config,
            OrchestratorMetrics metrics,
            Clock clock,
            DatabaseClock databaseClock) {
        this.clock = clock;
        this.databaseClock = databaseClock;
        this.metrics = metrics;
        this.gateProbe = gateProbe;
        this.heartbeats = heartbeats;
        this.reaper = reaper;
        this.planner = planner;
        this.claims = claims;
        this.dispatcher = dispatcher;
        this.identity = identity;
        this.budget = config.orchestrator().tickBudget();
        this.maxInFlight = config.orchestrator().maxInFlight();
    }

    public Uni<TickSummary> tick() {
        Instant started = clock.instant();
        Stopwatch watch = Stopwatch.start();
        TickLog log = new TickLog();
        return heartbeats
                .started(identity.instance(), identity.version())
                .onFailure()
                .recoverWithUni(e -> {
                    log.error("heartbeat", e);
                    return Uni.createFrom().voidItem();
                })
                .chain(() -> reaper.reap().onFailure().recoverWithItem(e -> {
                    log.fatal("reap", e);
                    return new Reaped(0, 0);
                }))
                .chain(reaped -> plan(log)
                        .chain(planned -> probeGates(log)
                                .chain(gates -> dispatch(gates, log, started)
                                        .map(sent -> new TickSummary(
                                                planned.scanned(),
                                                planned.created(),
                                                sent.delivered(),
                                                reaped.total(),
                                                log.errors(),
                                                watch.elapsed(),
                                                gates != null
                                                                && gates.anyOpen()
                                                                && log.status().equals("healthy")
                                                        ? "warning"
                                                        : log.status(),
                                                identity.instance(),
                                                sent.dispatches(),
                                                sent.released(),
                                                sent.failed() + reaped.failed(),
                                                gates == null ? null : gates.describe(clock.instant()))))))
                .call(this::recordHeartbeat)
                .call(r -> metrics.tickEnded(r.status()))
                .invoke(r -> LOG.infof(
                        "tick %s: scanned=%d slices_created=%d jobs_dispatched=%d reaped=%d "
                                + "dispatches=%d released=%d failed=%d errors=%d duration_ms=%d gate=%s",
                        r.status(),
                        r.scanned(),
                        r.slicesCreated(),
                        r.jobsDispatched(),
                        r.reaped(),
                        r.dispatches(),
                        r.runsReleased(),
                        r.runsFailed(),
                        r.errors().size(),
                        r.duration().toMillis(),
                        r.gate()));
    }

    /**
     * Plans against the database's now, read once for the tick: which slices are final is stored for good, so it
     * must not depend on this instance's clock (one running an hour ahead would plan a month before its last bars).
     */
    private Uni<Planner.Planned> plan(TickLog log) {
        return databaseClock
                .now()
                .chain(now -> planner.plan(now, log))
                .onFailure()
                .recoverWithItem(e -> {
                    log.error("plan", e);
                    return new Planner.Planned(0, 0);
                });
    }

    /** The gates after the probes that were due; gates that cannot be read are a claim that cannot be made. */
    private Uni<Gates> probeGates(TickLog log) {
        return gateProbe.check().onFailure().recoverWithItem(e -> {
            log.fatal("gate", e);
            return null;
        });
    }

    private Uni<DispatchLoop.Totals> dispatch(Gates gates, TickLog log, Instant started) {
        if (gates == null || gates.allOpen()) {
            return Uni.createFrom().item(new DispatchLoop.Totals(0, 0, 0, 0));
        }
        return new DispatchLoop(claims, dispatcher, log, identity.instance(), maxInFlight, clock, started.plus(budget))
                .run();
    }

    private Uni<Void> recordHeartbeat(TickSummary result) {
        String message = result.errors().isEmpty()
                ? "scanned=" + result.scanned() + " slices_created=" + result.slicesCreated() + " jobs_dispatched="
                        + result.jobsDispatched() + " reaped=" + result.reaped()
                : "errors="
                        + String.join(
                                "; ",
                                result.errors()
                                        .subList(0, Math.min(3, result.errors().size())));
        if (result.gate() != null && !result.gate().equals("closed")) {
            message = "gate: " + result.gate() + "; " + message;
        }
        return heartbeats
                .finished(identity.instance(), identity.version(), result.status(), message, lastTick(result))
                .onFailure()
                .recoverWithUni(e -> {
                    LOG.errorf(
                            "could not write the heartbeat of %s: %s", identity.instance(), Messages.firstMessage(e));
                    return Uni.createFrom().voidItem();
                });
    }

    /** {@code last_tick}: the tick with the names and values of the {@code tick} action's answer. */
    static String lastTick(TickSummary tick) {
        JsonObject json = new JsonObject()
                .put("scanned", tick.scanned())
                .put("slices_created", tick.slicesCreated())
                .put("jobs_dispatched", tick.jobsDispatched())
                .put("reaped", tick.reaped())
                .put("errors", new JsonArray(tick.errors()))
                .put("duration_ms", tick.duration().toMillis())
                .put("status", tick.status())
                .put("instance", tick.instance())
                .put("dispatches", tick.dispatches())
                .put("runs_released", tick.runsReleased())
                .put("runs_failed", tick.runsFailed());
        if (tick.gate() != null) {
            json.put("gate", tick.gate());
        }
        return json.encode();
    }
}
