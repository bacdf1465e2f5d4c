package io.barsbackfill.common.service;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.FetchStatus;
import io.barsbackfill.common.domain.GateState;
import io.barsbackfill.common.domain.JobStatus;
import io.barsbackfill.common.domain.LeasedRun;
import io.barsbackfill.common.provider.ProviderException;
import io.barsbackfill.common.provider.ProviderGate;
import io.barsbackfill.common.repository.QueueRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Who pays for a failure. A shared budget that stayed empty never reached the provider, and a provider-wide failure
 * with the gate open is the provider's, not the run's: both give the runs back without spending an attempt. A
 * provider-wide failure while the gate stays closed (the provider serves others), any other retryable failure, a
 * run whose answers disagree and a store that failed for another reason than the database's connection spend one;
 * the rest (an unknown ticker, a refused key, a provider with no key configured here) fail the runs and leave the
 * gate alone. Each outcome is recorded as the run's result.
 */
@ApplicationScoped
class AttemptPolicy {

    private static final Logger LOG = Logger.getLogger(AttemptPolicy.class);

    private final QueueRepository runs;
    private final ProviderGate gate;
    private final Duration backoffBase;
    private final Clock clock;

    AttemptPolicy(QueueRepository runs, ProviderGate gate, BackfillConfig config, Clock clock) {
        this.runs = runs;
        this.gate = gate;
        this.clock = clock;
        this.backoffBase = config.queue().backoffBase();
    }

    /** The gate of the runs' provider is open: nobody calls it, the runs go back uncharged until the next probe. */
    Uni<Void> gateOpen(List<LeasedRun> leased, GateState state, Map<UUID, RunResult> results) {
        ErrorCode code = ErrorCode.named(state.reason()).orElse(ErrorCode.PROVIDER_UNAVAILABLE);
        return giveBackUntil(
                leased, code, "provider gate " + state.describe(clock.instant()), state.nextProbeAt(), results);
    }

    /** A provider call of {@code provider} failed for {@code leased}. */
    Uni<Void> providerFailed(
            String provider, List<LeasedRun> leased, ProviderException failure, Map<UUID, RunResult> results) {
        LOG.warnf("provider failure for %d runs: %s %s", leased.size(), failure.code(), failure.getMessage());
        if (failure.budgetExhausted()) {
            return giveBack(leased, failure.code(), failure.getMessage(), soon(), results);
        }
        if (failure.code().providerWide()) {
            return gate.failed(provider, failure)
                    .chain(state -> state.open()
                            ? giveBackUntil(
                                    leased,
                                    failure.code(),
                                    failure.getMessage() + "; provider gate open, no attempt spent",
                                    state.nextProbeAt(),
                                    results)
                            : releaseForRetry(leased, failure.code(), failure.getMessage(), results));
        }
        if (!failure.retryable()) {
            return fail(leased, failure.code(), failure.getMessage(), results);
        }
        return releaseForRetry(leased, failure.code(), failure.getMessage(), results);
    }

    /** Failed for good (not retried): a ticker the provider does not know, a refused key, a bad request. */
    Uni<Void> fail(List<LeasedRun> leased, ErrorCode code, String message, Map<UUID, RunResult> results) {
        return runs.fail(leased, code, message)
                .invoke(() -> leased.forEach(
                        r -> results.put(r.jobRunId(), RunResult.of(r, FetchStatus.failed, 0, 0, code, message))))
                .replaceWithVoid();
    }

    /** Back to the queue with the queue's backoff, an attempt spent. */
    Uni<Void> releaseForRetry(List<LeasedRun> leased, ErrorCode code, String message, Map<UUID, RunResult> results) {
        return runs.releaseForRetry(leased, code, message)
                .invoke(released -> leased.forEach(r -> results.put(
                        r.jobRunId(), RunResult.of(r, retryStatus(released.get(r.jobRunId())), 0, 0, code, message))))
                .replaceWithVoid();
    }

    /** Back to the queue {@code after} the database's now, the claim's attempt undone. */
    Uni<Void> giveBack(
            List<LeasedRun> leased, ErrorCode code, String message, Duration after, Map<UUID, RunResult> results) {
        return gaveBack(leased, code, message, runs.giveBack(leased, code, message, after), results);
    }

    /** Back to the queue at the gate's next probe (the database's time), the claim's attempt undone. */
    private Uni<Void> giveBackUntil(
            List<LeasedRun> leased, ErrorCode code, String message, Instant nextProbe, Map<UUID, RunResult> results) {
        return gaveBack(leased, code, message, runs.giveBackUntil(leased, code, message, nextProbe), results);
    }

    private static Uni<Void> gaveBack(
            List<LeasedRun> leased,
            ErrorCode code,
            String message,
            Uni<Set<UUID>> givenBack,
            Map<UUID, RunResult> results) {
        return givenBack
                .invoke(given -> leased.forEach(r -> results.put(
                        r.jobRunId(),
                        RunResult.of(
                                r,
                                given.contains(r.jobRunId()) ? FetchStatus.retry : FetchStatus.conflict,
                                0,
                                0,
                                code,
                                message))))
                .replaceWithVoid();
    }

    /** The queue's first backoff (50-100 % of it), for runs given back through no fault of their own. */
    Duration soon() {
        long base = backoffBase.toMillis();
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    /** {@code retry} when the run went back to the queue, {@code failed} when that was its last attempt. */
    static FetchStatus retryStatus(JobStatus released) {
        if (released == null) {
            return FetchStatus.conflict;
        }
        return released == JobStatus.queued ? FetchStatus.retry : FetchStatus.failed;
    }
}
