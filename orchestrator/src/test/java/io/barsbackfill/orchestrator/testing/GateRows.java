package io.barsbackfill.orchestrator.testing;

import io.barsbackfill.testing.TestDatabase;

/** The provider gate's row set by hand, for tests of the probe. */
public final class GateRows {

    private GateRows() {}

    /** Open (as bad keys open it), its first probe due now. */
    public static void openWithProbeDue(TestDatabase db) {
        db.execute("""
                UPDATE provider_gate SET state = 'open', reason = 'PROVIDER_AUTH', opened_at = now(), probes = 0,
                       next_probe_at = now() - interval '1 second' WHERE provider = 'alpaca'""");
    }

    /** Closed with no failures, as after a successful probe. */
    public static void close(TestDatabase db) {
        db.execute("""
                UPDATE provider_gate SET state = 'closed', reason = NULL, opened_at = NULL, next_probe_at = NULL,
                       probes = 0, consecutive_failures = 0 WHERE provider = 'alpaca'""");
    }
}
