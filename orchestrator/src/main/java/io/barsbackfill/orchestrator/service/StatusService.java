package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.GateState;
import io.barsbackfill.common.function.StatusReport;
import io.barsbackfill.common.function.StatusReport.InFlight;
import io.barsbackfill.common.function.StatusReport.ProviderStatus;
import io.barsbackfill.common.service.ProviderGate;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.barsbackfill.orchestrator.repository.StatusRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/** The {@code status} report: one query per figure, run side by side. */
@ApplicationScoped
public class StatusService {

    private final StatusRepository status;
    private final ProviderGate gate;
    private final InstanceIdentity identity;
    private final Duration throughputWindow;
    private final int maxInFlight;

    StatusService(StatusRepository status, ProviderGate gate, InstanceIdentity identity, OrchestratorConfig config) {
        this.status = status;
        this.gate = gate;
        this.identity = identity;
        this.throughputWindow = config.orchestrator().throughputWindow();
        this.maxInFlight = config.orchestrator().maxInFlight();
    }

    public Uni<StatusReport> report() {
        Instant now = Instant.now();
        return Uni.combine()
                .all()
                .unis(
                        status.totals(),
                        status.throughput(throughputWindow),
                        status.errors(),
                        status.definitions(),
                        status.heartbeats(),
                        gate.state())
                .with((totals, throughput, errors, definitions, heartbeats, provider) -> new StatusReport(
                        identity.version(),
                        now.toString(),
                        totals.runs(),
                        totals.ready(),
                        totals.bars(),
                        totals.progress(),
                        throughput,
                        totals.oldestQueuedSeconds(),
                        new InFlight(totals.dispatches(), totals.leasedRuns(), maxInFlight, totals.expiredLeases()),
                        errors.failed(),
                        errors.retrying(),
                        definitions,
                        heartbeats,
                        provider(provider, now)));
    }

    private static ProviderStatus provider(GateState gate, Instant now) {
        return new ProviderStatus(
                gate.provider(),
                gate.stateName(now),
                gate.reason(),
                iso(gate.since()),
                gate.lastError(),
                iso(gate.nextProbeAt()),
                gate.consecutiveFailures());
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
