package io.barsbackfill.orchestrator.service;

/**
 * How one dispatch ended for the tick: runs delivered (the fetcher answered 2xx), runs the orchestrator
 * gave back to the queue or failed, an error for the tick (null if none), and whether the tick should claim
 * nothing more (the fetcher is down, misconfigured or rejecting what we send: claiming on would only burn
 * the attempts of more runs).
 */
public record DispatchOutcome(int delivered, int released, int failed, DispatchError error, boolean stopClaiming) {

    static DispatchOutcome nothing() {
        return new DispatchOutcome(0, 0, 0, null, false);
    }
}
