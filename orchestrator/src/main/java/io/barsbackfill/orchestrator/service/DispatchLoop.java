package io.barsbackfill.orchestrator.service;

import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Messages;
import io.barsbackfill.orchestrator.Dispatch;
import io.barsbackfill.orchestrator.repository.ClaimRepository;
import io.barsbackfill.orchestrator.repository.ClaimRepository.Claim;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The claim-and-dispatch loop of one tick. It keeps up to {@code maxInFlight} dispatches going: whenever one
 * ends it claims again, until the queue has nothing ready, the budget is spent, the claim fails or a fetcher
 * fails or rejects a dispatch, or every provider's gate is open (the claim's statement leaves the runs of a
 * provider whose gate is open queued: fetchers would only give them back); then it waits for the dispatches it
 * started (their HTTP timeout bounds the wait).
 * One instance per tick; its state changes under its own lock, callbacks arrive on any thread.
 */
final class DispatchLoop {

    private final ClaimRepository claims;
    private final Dispatcher dispatcher;
    private final TickLog log;
    private final String instance;
    private final int maxInFlight;
    private final Clock clock;
    private final Instant deadline;
    private final CompletableFuture<Totals> done = new CompletableFuture<>();

    private int inFlight;
    private boolean claiming;
    private boolean stopped;
    private int dispatches;
    private int delivered;
    private int released;
    private int failed;

    DispatchLoop(
            ClaimRepository claims,
            Dispatcher dispatcher,
            TickLog log,
            String instance,
            int maxInFlight,
            Clock clock,
            Instant deadline) {
        this.clock = clock;
        this.claims = claims;
        this.dispatcher = dispatcher;
        this.log = log;
        this.instance = instance;
        this.maxInFlight = maxInFlight;
        this.deadline = deadline;
    }

    Uni<Totals> run() {
        if (maxInFlight <= 0) {
            // dispatch paused (max-in-flight=0): no slot will ever free up, so claim nothing and wait for nothing
            return Uni.createFrom().item(new Totals(0, 0, 0, 0));
        }
        pump();
        return Uni.createFrom().completionStage(done);
    }

    private void pump() {
        int wanted;
        synchronized (this) {
            if (claiming) {
                return; // the claim under way pumps again when it returns
            }
            if (stopped || !clock.instant().isBefore(deadline)) {
                stopped = true;
                finishIfIdle();
                return;
            }
            wanted = maxInFlight - inFlight;
            if (wanted <= 0) {
                return; // the next dispatch to end pumps again
            }
            claiming = true;
        }
        claims.claim(wanted, instance).subscribe().with(this::claimed, this::claimFailed);
    }

    private void claimed(Claim claim) {
        List<Dispatch> claimed = claim.dispatches();
        synchronized (this) {
            claiming = false;
            if (claimed.isEmpty()) {
                // free slots but nothing claimed: nothing is ready. No free slot and none of ours running:
                // other instances fill the cap (or the gates are open), nothing for us to wait for.
                if (claim.free() > 0 || inFlight == 0) {
                    stopped = true;
                }
                finishIfIdle();
                return;
            }
            inFlight += claimed.size();
            dispatches += claimed.size();
        }
        for (Dispatch d : claimed) {
            dispatcher
                    .dispatch(d)
                    .subscribe()
                    .with(
                            this::dispatched,
                            e -> dispatched(new DispatchOutcome(
                                    0,
                                    0,
                                    0,
                                    new DispatchError(
                                            ErrorCode.INTERNAL, d.describe() + ": " + Messages.firstMessage(e)),
                                    true)));
        }
        pump();
    }

    private void claimFailed(Throwable failure) {
        log.fatal("claim", failure);
        synchronized (this) {
            claiming = false;
            stopped = true;
            finishIfIdle();
        }
    }

    private void dispatched(DispatchOutcome outcome) {
        if (outcome.error() != null) {
            log.error("dispatch", outcome.error().message());
        }
        synchronized (this) {
            inFlight--;
            delivered += outcome.delivered();
            released += outcome.released();
            failed += outcome.failed();
            if (outcome.stopClaiming()) {
                stopped = true;
            }
        }
        pump();
    }

    private void finishIfIdle() {
        if (stopped && inFlight == 0 && !claiming) {
            done.complete(new Totals(dispatches, delivered, released, failed));
        }
    }

    /** What the loop did: HTTP requests made, runs delivered, released back to the queue, failed. */
    record Totals(int dispatches, int delivered, int released, int failed) {}
}
