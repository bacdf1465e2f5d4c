package io.barsbackfill.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.barsbackfill.orchestrator.testing.DeadFetcherResource;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
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

        given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body(Map.of("action", "tick"))
                .when()
                .post("/orchestrator")
                .then()
                .statusCode(200)
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
}
