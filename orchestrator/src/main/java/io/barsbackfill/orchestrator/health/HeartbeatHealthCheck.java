package io.barsbackfill.orchestrator.health;

import io.barsbackfill.common.health.HealthChecks;
import io.barsbackfill.orchestrator.StatusFigures.Heartbeat;
import io.barsbackfill.orchestrator.repository.StatusRepository;
import io.barsbackfill.orchestrator.service.InstanceIdentity;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * How long ago any orchestrator ticked (and this instance). DOWN when no tick for {@link #STALE}: the schedule
 * (CronJob, EventBridge, in-process) stopped. A wellness check: a missing schedule is not cured by restarting or
 * unrouting this instance, so liveness and readiness ignore it.
 */
@Wellness
@ApplicationScoped
public class HeartbeatHealthCheck implements AsyncHealthCheck {

    /** Five missed one-minute ticks. */
    static final Duration STALE = Duration.ofMinutes(5);

    private final StatusRepository status;
    private final InstanceIdentity identity;

    HeartbeatHealthCheck(StatusRepository status, InstanceIdentity identity) {
        this.status = status;
        this.identity = identity;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return HealthChecks.downOnFailure("heartbeat", status.heartbeats().map(beats -> {
            var response = HealthCheckResponse.named("heartbeat").withData("instance", identity.instance());
            if (beats.isEmpty()) {
                return response.up().withData("last_tick", "none yet").build();
            }
            Heartbeat newest = beats.get(0);
            beats.stream()
                    .filter(b -> b.name().equals(identity.instance()))
                    .findFirst()
                    .ifPresent(own -> response.withData("own_age_seconds", own.ageSeconds()));
            return response.status(newest.ageSeconds() < STALE.toSeconds())
                    .withData("age_seconds", newest.ageSeconds())
                    .withData("last_instance", newest.name())
                    .withData("last_status", newest.status())
                    .build();
        }));
    }
}
