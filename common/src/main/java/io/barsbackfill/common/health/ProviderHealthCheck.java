package io.barsbackfill.common.health;

import io.barsbackfill.common.client.AlpacaBarsClient;
import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.repository.RateLimitRepository;
import io.barsbackfill.common.service.ProviderGate;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The provider's state as every instance sees it (the health gate and the shared budget in Postgres): the gate
 * closed or open (and why: its reason and its last error, e.g. the last probe's failure), the budget open or
 * blocked by a 429 and for how long, the rate it runs at and this instance's configured rate (the smallest
 * configured rate wins). A wellness check ({@code
 * /q/health/well}, and in {@code /q/health}): a rate-limited provider is something
 * to watch, never a reason to restart or unroute a function, so liveness and readiness ignore it.
 */
@Wellness
@ApplicationScoped
public class ProviderHealthCheck implements AsyncHealthCheck {

    private final RateLimitRepository budget;
    private final ProviderGate gate;
    private final Clock clock;
    private final int configuredPerMinute;

    ProviderHealthCheck(RateLimitRepository budget, ProviderGate gate, Clock clock, BackfillConfig config) {
        this.budget = budget;
        this.configuredPerMinute = config.rateLimitPerMinute();
        this.clock = clock;
        this.gate = gate;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return HealthChecks.downOnFailure(
                "provider",
                gate.state()
                        .chain(gateState -> budget.state(AlpacaBarsClient.PROVIDER)
                                .map(state -> {
                                    var response = HealthCheckResponse.named("provider")
                                            .withData("provider", AlpacaBarsClient.PROVIDER)
                                            .withData("gate", gateState.stateName(clock.instant()));
                                    if (gateState.open()) {
                                        response.withData("gate_reason", gateState.reason())
                                                .withData("gate_last_error", String.valueOf(gateState.lastError()))
                                                .withData("next_probe_at", String.valueOf(gateState.nextProbeAt()));
                                    }
                                    if (state.isEmpty()) {
                                        return response.status(!gateState.open())
                                                .withData("state", "no request yet")
                                                .build();
                                    }
                                    long blocked = state.get().blockedFor().toSeconds();
                                    return response.status(blocked == 0 && !gateState.open())
                                            .withData("state", blocked == 0 ? "open" : "rate_limited")
                                            .withData("blocked_seconds", blocked)
                                            .withData("per_minute", state.get().perMinute())
                                            // differs when another instance is configured with a smaller R
                                            .withData("configured_per_minute", configuredPerMinute)
                                            .withData("tokens", (long)
                                                    Math.floor(state.get().tokens()))
                                            .build();
                                })));
    }
}
