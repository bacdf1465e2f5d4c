package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.GateState;
import io.barsbackfill.common.domain.Messages;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.provider.ProviderException;
import io.barsbackfill.common.provider.ProviderGate;
import io.barsbackfill.common.repository.ProviderGateRepository;
import io.barsbackfill.orchestrator.client.FetchersClient;
import io.barsbackfill.orchestrator.client.ProbeUndeliveredException;
import io.barsbackfill.orchestrator.repository.ClaimRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The half-open side of the provider health gates, run by every tick before it claims: for each provider whose gate
 * is open and whose probe is due, one instance at a time (the probe lease in {@code provider_gate}) has fetch-bars
 * send that provider one small request (a week of daily bars of a queued run's ticker), so the probe meets the keys,
 * base URL and
 * route the fetches use, never the orchestrator's. Any answer from the provider that is not a provider-wide
 * failure closes the gate, and the runs given back meanwhile are claimed again by this same tick; a failed
 * probe, or one fetch-bars could not deliver ({@code DISPATCH_FAILED}), sets the next one after
 * {@code probe-interval} doubled per failed probe, up to {@code probe-interval-max} (and not before a 429's
 * Retry-After); the gate's reason and last error say why.
 */
@ApplicationScoped
public class GateProbe {

    private static final Logger LOG = Logger.getLogger(GateProbe.class);

    private final Clock clock;
    private final ProviderGate gate;
    private final ProviderGateRepository repository;
    private final FetchersClient fetchers;
    private final ClaimRepository claims;
    private final BackfillConfig.Gate config;
    private final Duration probeLease;

    GateProbe(
            ProviderGate gate,
            ProviderGateRepository repository,
            FetchersClient fetchers,
            ClaimRepository claims,
            BackfillConfig config,
            Clock clock) {
        this.clock = clock;
        this.gate = gate;
        this.repository = repository;
        this.fetchers = fetchers;
        this.claims = claims;
        this.config = config.gate();
        this.probeLease = config.alpaca().requestDeadline().plus(config.alpaca().maxRateLimitWait());
    }

    /** Probes every provider whose gate is open and due; answers every provider's gate after its probe. */
    public Uni<Gates> check() {
        Map<String, GateState> states = new LinkedHashMap<>();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (String provider : Series.PROVIDERS) {
            all = all.chain(() ->
                    check(provider).invoke(state -> states.put(provider, state)).replaceWithVoid());
        }
        return all.map(done -> new Gates(states));
    }

    /** {@code provider}'s gate after probing it if a probe was due. */
    public Uni<GateState> check(String provider) {
        return gate.state(provider).chain(state -> {
            if (!state.open()) {
                return Uni.createFrom().item(state);
            }
            // whether the probe is due is the database's call (takeProbe), never this instance's clock
            return repository
                    .takeProbe(provider, probeLease)
                    .chain(token -> token.isEmpty()
                            ? Uni.createFrom().item(state) // another instance is probing
                            : probe(provider, token.get()));
        });
    }

    private Uni<GateState> probe(String provider, UUID token) {
        return claims.nextQueuedSymbol(provider)
                .map(symbol -> symbol.orElseGet(() -> new Ticker(config.probeSymbol())))
                .chain(symbol -> fetchers.probe(provider, List.of(symbol), false, probeLease)
                        .invoke(() -> LOG.infof("%s probe with %s answered: gate closes", provider, symbol)))
                .chain(() -> gate.succeeded(provider))
                .chain(() -> gate.state(provider))
                .onFailure()
                .recoverWithUni(e -> {
                    ProviderException p;
                    if (e instanceof ProviderException pe) {
                        p = pe;
                    } else if (e instanceof ProbeUndeliveredException) {
                        p = new ProviderException(ErrorCode.DISPATCH_FAILED, e.getMessage());
                    } else {
                        p = new ProviderException(
                                ErrorCode.PROVIDER_UNAVAILABLE, "probe failed: " + Messages.firstMessage(e));
                    }
                    if (p.code() != ErrorCode.DISPATCH_FAILED && !p.code().providerWide()) {
                        // e.g. the ticker is unknown: the provider answered, so it serves requests
                        LOG.infof("%s probe answered %s: gate closes", provider, p.code());
                        return gate.succeeded(provider).chain(() -> gate.state(provider));
                    }
                    Duration notBefore = p.retryAfter().orElse(null);
                    return repository
                            .probeFailed(
                                    provider,
                                    token,
                                    p.code().name(),
                                    "probe through fetch-bars: " + p.getMessage(),
                                    config.probeInterval(),
                                    config.probeIntervalMax(),
                                    notBefore)
                            .invoke(state -> LOG.warnf(
                                    "%s probe failed (%s): gate %s",
                                    provider, p.code(), state.describe(clock.instant())));
                });
    }
}
