package io.barsbackfill.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.barsbackfill.orchestrator.testing.DeadFetcherResource;
import io.barsbackfill.orchestrator.testing.GateRows;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fetchers that are not there: every claimed run goes back to the queue with backoff, none stays running. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(DeadFetcherResource.class)
class DeadFetcherTest {

    @InjectTestDatabase
    TestDatabase db;

    @Test
    void runsDispatchedWhereNothingListensGoBackToTheQueueWithBackoff() {
        db.execute("""
                INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to)
                VALUES ('AAPL', 'h1', '2024-01-01', '2024-02-01'),
                       ('MSFT', 'h1', '2024-01-01', '2024-02-01'),
                       ('SPY', 'd1', '2023-01-01', '2024-01-01')""");

        tick().statusCode(200)
                .body("jobs_dispatched", equalTo(0))
                .body("dispatches", equalTo(2))
                .body("runs_released", equalTo(3))
                .body("status", equalTo("warning"))
                .body("errors", hasItem(containsString("fetch-bars unreachable")))
                .body("errors", hasItem(containsString("fetch-bars-batch unreachable")));

        List<Map<String, Object>> runs = db.query("SELECT * FROM job_runs");
        assertThat(runs).hasSize(3).allSatisfy(r -> {
            assertThat(r)
                    .containsEntry("status", "queued")
                    .containsEntry("error_code", "DISPATCH_FAILED")
                    .containsEntry("attempt", 1)
                    .containsEntry("lease_token", null)
                    .containsEntry("lease_expires_at", null);
            assertThat(OrchestratorTestBase.instant(r.get("run_after"))).isAfter(Instant.now());
        });
    }

    /**
     * The gate's probe goes through fetch-bars: where it does not listen, the probe fails for that reason (named),
     * the gate stays open and the next probe waits its interval; nothing is asked of the provider directly.
     */
    @Test
    void aDueProbeWhereFetchBarsDoesNotListenKeepsTheGateOpenAndNamesWhy() {
        GateRows.openWithProbeDue(db);
        try {
            tick().statusCode(200)
                    .body("gate", containsString("(DISPATCH_FAILED)"))
                    .body("gate", containsString("probe through fetch-bars: fetch-bars unreachable"));

            Map<String, Object> gate = db.query("SELECT * FROM provider_gate WHERE provider = 'alpaca'")
                    .get(0);
            assertThat(gate)
                    .containsEntry("state", "open")
                    .containsEntry("reason", "DISPATCH_FAILED")
                    .containsEntry("probes", 1);
            assertThat(gate.get("last_error").toString())
                    .startsWith("probe through fetch-bars: fetch-bars unreachable: ");
            assertThat(OrchestratorTestBase.instant(gate.get("next_probe_at"))).isAfter(Instant.now());
        } finally {
            GateRows.close(db);
        }
    }

    private static ValidatableResponse tick() {
        return given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body(Map.of("action", "tick"))
                .when()
                .post("/orchestrator")
                .then();
    }
}
