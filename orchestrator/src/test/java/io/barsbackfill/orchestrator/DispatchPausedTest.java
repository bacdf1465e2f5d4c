package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code backfill.orchestrator.max-in-flight=0} pauses dispatch: ticks go on reaping and planning, claim and send
 * nothing, and {@code status} shows the cap of 0. (A dispatch would reach the in-process fetchers and the
 * provider, which counts no request.)
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class DispatchPausedTest extends OrchestratorTestBase {

    @Test
    void aPausedTickReapsAndPlansButClaimsNothingAndStatusShowsTheCapOfZero() {
        definition("PAUSED", "h1", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 100, "AAPL", "MSFT");
        UUID ready = queuedRun("NVDA", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 100);
        UUID expired = queuedRun("SPY", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 100);
        db.execute("""
                UPDATE job_runs SET status = 'running', attempt = 1, lease_token = gen_random_uuid(),
                       dispatch_id = gen_random_uuid(), lease_expires_at = now() - interval '1 second'
                           WHERE id = ?""", expired);

        action("tick")
                .statusCode(200)
                .body("slices_created", equalTo(4))
                .body("reaped", equalTo(1))
                .body("dispatches", equalTo(0))
                .body("jobs_dispatched", equalTo(0))
                .body("runs_released", equalTo(0))
                .body("status", equalTo("healthy"))
                .body("errors", empty());

        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'queued' AND attempt = 0"))
                .isEqualTo(5);
        assertThat(run(ready)).containsEntry("status", "queued").containsEntry("lease_token", null);
        assertThat(run(expired)).containsEntry("status", "queued").containsEntry("error_code", "LEASE_EXPIRED");
        assertThat(simulator.barRequests()).isZero();
        action("status")
                .statusCode(200)
                .body("in_flight.max_dispatches", equalTo(0))
                .body("in_flight.dispatches", equalTo(0))
                .body("runs.queued", equalTo(6))
                .body("ready", equalTo(5));
    }
}
