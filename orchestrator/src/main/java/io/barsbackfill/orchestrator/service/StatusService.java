package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.GateState;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.provider.ProviderGate;
import io.barsbackfill.orchestrator.StatusFigures.DefinitionFigures;
import io.barsbackfill.orchestrator.StatusFigures.Errors;
import io.barsbackfill.orchestrator.StatusFigures.Finished;
import io.barsbackfill.orchestrator.StatusFigures.Heartbeat;
import io.barsbackfill.orchestrator.StatusFigures.Totals;
import io.barsbackfill.orchestrator.config.OrchestratorConfig;
import io.barsbackfill.orchestrator.repository.StatusRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The figures of {@code status}: one query per figure, run side by side. */
@ApplicationScoped
public class StatusService {

    private final StatusRepository status;
    private final ProviderGate gate;
    private final InstanceIdentity identity;
    private final Duration throughputWindow;
    private final int maxInFlight;
    private final Clock clock;

    StatusService(
            StatusRepository status,
            ProviderGate gate,
            InstanceIdentity identity,
            OrchestratorConfig config,
            Clock clock) {
        this.clock = clock;
        this.status = status;
        this.gate = gate;
        this.identity = identity;
        this.throughputWindow = config.orchestrator().throughputWindow();
        this.maxInFlight = config.orchestrator().maxInFlight();
    }

    /**
     * Everything {@code status} reports, as of {@code now}: {@code finished} counts the runs that ended within
     * {@code throughputWindow}, {@code maxInFlight} is the configured dispatch cap, {@code gates} are every
     * provider's, in the order of {@link Series#PROVIDERS}.
     */
    public record Status(
            String version,
            Instant now,
            Totals totals,
            Duration throughputWindow,
            Finished finished,
            Errors errors,
            List<DefinitionFigures> definitions,
            List<Heartbeat> heartbeats,
            List<GateState> gates,
            int maxInFlight) {}

    public Uni<Status> status() {
        Instant now = clock.instant();
        return Uni.combine()
                .all()
                .unis(
                        status.totals(),
                        status.finished(throughputWindow),
                        status.errors(),
                        status.definitions(),
                        status.heartbeats(),
                        gates())
                .with((totals, finished, errors, definitions, heartbeats, gates) -> new Status(
                        identity.version(),
                        now,
                        totals,
                        throughputWindow,
                        finished,
                        errors,
                        definitions,
                        heartbeats,
                        gates,
                        maxInFlight));
    }

    private Uni<List<GateState>> gates() {
        return Uni.join()
                .all(Series.PROVIDERS.stream().map(gate::state).toList())
                .andFailFast();
    }
}
