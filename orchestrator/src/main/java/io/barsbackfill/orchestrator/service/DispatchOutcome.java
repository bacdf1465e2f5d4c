package io.barsbackfill.orchestrator.service;

/**
 * How one dispatch ended for the tick: runs delivered (the fetcher answered 2xx), runs the orchestrator
 * gave back to the queue or failed, an error for the tick (null if none), and whether the fetcher looks
 * down or misconfigured, in which case the tick claims nothing more.
 */
public record DispatchOutcome(int delivered, int released, int failed, String error, boolean fetcherDown) {

    static DispatchOutcome nothing() {
        return new DispatchOutcome(0, 0, 0, null, false);
    }
}
