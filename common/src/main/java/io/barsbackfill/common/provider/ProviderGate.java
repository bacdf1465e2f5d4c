package io.barsbackfill.common.provider;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.GateState;
import io.barsbackfill.common.repository.ProviderGateRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The provider health gates as the functions use them, one per provider (a row of {@code provider_gate} each,
 * made on first use). A provider's gate opens when it fails for everyone:
 * {@code failure-threshold} provider-wide failures in a row (5xx, timeouts, refused connections, malformed
 * answers, each after its per-page retries), at once for 401/403 ({@code PROVIDER_AUTH}) and for a 429 whose
 * Retry-After is beyond the wait budget (open until then). Any answered provider request closes it.
 */
@ApplicationScoped
public class ProviderGate {

    private static final Logger LOG = Logger.getLogger(ProviderGate.class);

    private final ProviderGateRepository repository;
    private final BackfillConfig.Gate config;
    private final Duration maxRateLimitWait;
    private final Clock clock;

    ProviderGate(ProviderGateRepository repository, BackfillConfig config, Clock clock) {
        this.repository = repository;
        this.clock = clock;
        this.config = config.gate();
        this.maxRateLimitWait = config.alpaca().maxRateLimitWait();
    }

    public Uni<GateState> state(String provider) {
        return repository.state(provider);
    }

    /**
     * Records a provider-wide failure (see {@link ErrorCode#providerWide()}) and answers the gate after it.
     * A shared budget that stayed empty is no provider failure: the gate is only read.
     */
    public Uni<GateState> failed(String provider, ProviderException failure) {
        if (!failure.code().providerWide() || failure.budgetExhausted()) {
            return state(provider);
        }
        boolean longRetryAfter = failure.retryAfter()
                .filter(wait -> wait.compareTo(maxRateLimitWait) > 0)
                .isPresent();
        boolean openNow = failure.code() == ErrorCode.PROVIDER_AUTH || longRetryAfter;
        Duration openFor = longRetryAfter ? failure.retryAfter().get() : null;
        return repository
                .failed(
                        provider,
                        failure.code().name(),
                        failure.getMessage(),
                        config.failureThreshold(),
                        config.probeInterval(),
                        openNow,
                        openFor)
                .invoke(gate -> {
                    if (gate.open()) {
                        LOG.warnf("provider gate %s", gate.describe(clock.instant()));
                    }
                });
    }

    /** The provider answered a request: the gate closes (a no-op write when it is closed with no failures). */
    public Uni<Void> succeeded(String provider) {
        return repository.succeeded(provider);
    }
}
