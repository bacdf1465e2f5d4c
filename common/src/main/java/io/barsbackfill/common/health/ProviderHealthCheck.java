package io.barsbackfill.common.health;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.GateState;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.provider.ProviderGate;
import io.barsbackfill.common.repository.RateLimitRepository;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Each provider's state as every instance sees it (its health gate and its shared budget in Postgres): the gate
 * closed or open (and why: its reason and its last error, e.g. the last probe's failure), the budget open or
 * blocked by a 429 and for how long, the rate it runs at and this instance's configured rate (the smallest
 * configured rate wins). Alpaca's figures carry plain names; another provider's (Massive's, when its key is
 * configured here) the same names after its name and an underscore. A wellness check ({@code /q/health/well}, and
 * in {@code /q/health}): a rate-limited provider is something to watch, never a reason to restart or unroute a
 * function, so liveness and readiness ignore it.
 */
@Wellness
@ApplicationScoped
public class ProviderHealthCheck implements AsyncHealthCheck {

    private final RateLimitRepository budget;
    private final ProviderGate gate;
    private final Clock clock;
    private final BackfillConfig config;
    private final List<String> providers = new ArrayList<>();

    ProviderHealthCheck(RateLimitRepository budget, ProviderGate gate, Clock clock, BackfillConfig config) {
        this.budget = budget;
        this.config = config;
        this.clock = clock;
        this.gate = gate;
        providers.add(Series.ALPACA);
        if (config.massive().apiKey().isPresent()) {
            providers.add(Series.MASSIVE);
        }
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("provider");
        Uni<Boolean> up = Uni.createFrom().item(true);
        for (String provider : providers) {
            up = up.chain(all -> describe(provider, response).map(one -> all && one));
        }
        return HealthChecks.downOnFailure(
                "provider", up.map(all -> response.status(all).build()));
    }

    /** Adds {@code provider}'s figures to {@code response}; answers whether it is up. */
    private Uni<Boolean> describe(String provider, HealthCheckResponseBuilder response) {
        String prefix = Series.ALPACA.equals(provider) ? "" : provider + "_";
        return gate.state(provider)
                .chain(gateState -> budget.state(provider).map(state -> {
                    response.withData(prefix + "provider", provider)
                            .withData(prefix + "gate", gateState.stateName(clock.instant()));
                    if (gateState.open()) {
                        response.withData(prefix + "gate_reason", gateState.reason())
                                .withData(prefix + "gate_last_error", String.valueOf(gateState.lastError()))
                                .withData(prefix + "next_probe_at", String.valueOf(gateState.nextProbeAt()));
                    }
                    return budget(prefix, provider, gateState, state, response);
                }));
    }

    private boolean budget(
            String prefix,
            String provider,
            GateState gateState,
            Optional<RateLimitRepository.Budget> state,
            HealthCheckResponseBuilder response) {
        if (state.isEmpty()) {
            response.withData(prefix + "state", "no request yet");
            return !gateState.open();
        }
        long blocked = state.get().blockedFor().toSeconds();
        response.withData(prefix + "state", blocked == 0 ? "open" : "rate_limited")
                .withData(prefix + "blocked_seconds", blocked)
                .withData(prefix + "per_minute", state.get().perMinute())
                // differs when another instance is configured with a smaller R
                .withData(prefix + "configured_per_minute", config.rateLimitPerMinute(provider))
                .withData(prefix + "tokens", (long) Math.floor(state.get().tokens()));
        return blocked == 0 && !gateState.open();
    }
}
