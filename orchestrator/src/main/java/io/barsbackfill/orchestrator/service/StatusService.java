package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.function.StatusReport;
import io.barsbackfill.common.function.StatusReport.InFlight;
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
    private final InstanceIdentity identity;
    private final Duration throughputWindow;
    private final int maxInFlight;

    StatusService(StatusRepository status, InstanceIdentity identity, OrchestratorConfig config) {
        this.status = status;
        this.identity = identity;
        this.throughputWindow = config.orchestrator().throughputWindow();
        this.maxInFlight = config.orchestrator().maxInFlight();
    }

    public Uni<StatusReport> report() {
        Instant now = Instant.now();
        return Uni.combine().all()
                .unis(status.totals(), status.throughput(throughputWindow), status.errors(), status.definitions(),
                        status.heartbeats())
                .with((totals, throughput, errors, definitions, heartbeats) -> new StatusReport(identity.version(),
                        now.toString(), totals.runs(), totals.ready(), totals.bars(), totals.progress(), throughput,
                        totals.oldestQueuedSeconds(),
                        new InFlight(totals.dispatches(), totals.leasedRuns(), maxInFlight, totals.expiredLeases()),
                        errors.failed(), errors.retrying(), definitions, heartbeats));
    }
}
