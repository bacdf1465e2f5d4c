package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A claim that fails is an error of the tick and of the heartbeat, never an empty queue. */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class BrokenClaimTest extends OrchestratorTestBase {

    @Test
    void aMissingQueueTableIsAnErrorInTheTickAndTheHeartbeat() {
        queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        db.execute("ALTER TABLE job_runs RENAME TO job_runs_x");
        try {
            action("tick")
                    .statusCode(200)
                    .body("status", equalTo("error"))
                    .body("jobs_dispatched", equalTo(0))
                    .body("errors", hasItem(startsWith("claim: ")))
                    .body("errors", hasItem(containsString("job_runs")));
        } finally {
            db.execute("ALTER TABLE job_runs_x RENAME TO job_runs");
        }

        Map<String, Object> beat = db.query(
                        "SELECT status, message, last_tick::text AS tick FROM orchestrator_heartbeat")
                .get(0);
        assertThat(beat.get("status")).isEqualTo("error");
        assertThat((String) beat.get("message")).contains("claim: ");
        assertThat((String) beat.get("tick")).contains("\"status\": \"error\"");
        action("status")
                .statusCode(200)
                .body("heartbeats[0].status", equalTo("error"))
                .body("heartbeats[0].message", containsString("claim: "))
                .body("runs.queued", equalTo(1));
    }

    @Test
    void aClaimFailingWhilePlanningAndReapingWorkIsStillAnError() {
        definition("WORKS", "h1", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 100, "AAPL", "MSFT");
        db.execute("ALTER TABLE job_runs RENAME COLUMN dispatch_id TO dispatch_id_x");
        try {
            action("tick")
                    .statusCode(200)
                    .body("slices_created", equalTo(4))
                    .body("jobs_dispatched", equalTo(0))
                    .body("status", equalTo("error"))
                    .body("errors", hasItem(containsString("dispatch_id")));
        } finally {
            db.execute("ALTER TABLE job_runs RENAME COLUMN dispatch_id_x TO dispatch_id");
        }
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'queued' AND attempt = 0"))
                .isEqualTo(4);
        assertThat(simulator.barRequests()).as("nothing was dispatched").isZero();

        // the claim works again: the next tick dispatches to the real fetchers and the backfill goes on
        action("tick")
                .statusCode(200)
                .body("status", equalTo("healthy"))
                .body("dispatches", equalTo(1)) // two months of the same two tickers: one request sequence
                .body("jobs_dispatched", equalTo(4))
                .body("errors", empty());
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'success'"))
                .isEqualTo(4);
    }
}
