package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.barsbackfill.orchestrator.testing.FetcherFault;
import io.barsbackfill.orchestrator.testing.Fetchers;
import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fetchers on another (migrated) database than the orchestrator's: they know none of the runs and reject the
 * first of each request as bad input (400 naming {@code job_run_id} or {@code job_run_ids[0]}).
 */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class DispatchToFetcherOnAnotherDatabaseTest extends OrchestratorTestBase {

    @Inject
    Fetchers fetchers;

    @BeforeEach
    void fetchersOnAnotherDatabase() {
        fetchers.script(FetcherFault.unknownRuns());
    }

    @AfterEach
    void fetchersWork() {
        fetchers.script(FetcherFault.none());
    }

    @Test
    void theRunA400NamesFailsAndTheOthersOfItsBatchGoBackWithBackoff() {
        UUID spy = queuedRun("SPY", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 100);
        UUID aapl = queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        UUID msft = queuedRun("MSFT", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        UUID nvda = queuedRun("NVDA", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);

        action("tick")
                .statusCode(200)
                .body("dispatches", equalTo(2))
                .body("jobs_dispatched", equalTo(0))
                .body("runs_failed", equalTo(2))
                .body("runs_released", equalTo(2))
                .body(
                        "errors",
                        hasItem(containsString("fetch-bars rejected the request at job_run_id: no job run " + spy)))
                .body(
                        "errors",
                        hasItem(containsString(
                                "fetch-bars-batch rejected the request at job_run_ids[0]: no job run " + aapl)));

        for (UUID blamed : List.of(spy, aapl)) {
            assertThat(run(blamed))
                    .containsEntry("status", "failed")
                    .containsEntry("error_code", "BAD_INPUT")
                    .containsEntry("lease_token", null);
        }
        for (UUID other : List.of(msft, nvda)) {
            assertThat(run(other))
                    .containsEntry("status", "queued")
                    .containsEntry("error_code", "DISPATCH_FAILED")
                    .containsEntry("attempt", 1)
                    .containsEntry("lease_token", null);
            assertThat(instant(run(other).get("run_after"))).as("backoff").isAfter(Instant.now());
        }
        assertThat(simulator.barRequests()).isZero();
    }
}
