package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.barsbackfill.cli.stack.Service;
import io.barsbackfill.orchestrator.testing.FetcherProcessesResource;
import io.barsbackfill.orchestrator.testing.Fetchers;
import io.barsbackfill.orchestrator.testing.InjectFetchers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real fetchers started with another internal token than the orchestrator's: they answer 401 to every dispatch. */
@QuarkusTest
@WithTestResource(
        value = FetcherProcessesResource.class,
        initArgs = @ResourceArg(name = "fetcher-token", value = "not-the-orchestrators-token"))
class DispatchToWrongTokenFetcherTest extends OrchestratorTestBase {

    @InjectFetchers
    Fetchers fetchers;

    @Test
    void a401IsAConfigurationErrorOfTheTickItsRunsGoBackWithBackoffAndTheTickStopsClaiming() {
        queuedRun("SPY", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 100); // the oldest slice: first
        for (int day = 1; day <= 8; day++) {
            queuedRun("AAPL", "m1", day(day), day(day + 1), 100);
            queuedRun("MSFT", "m1", day(day), day(day + 1), 100);
        }
        int singleBefore = fetchers.answered(Service.FETCH_BARS).size();
        int batchBefore = fetchers.answered(Service.FETCH_BARS_BATCH).size();

        action("tick")
                .statusCode(200)
                .body("dispatches", equalTo(5)) // max-in-flight groups at once, then no more claims
                .body("jobs_dispatched", equalTo(0))
                .body("runs_released", equalTo(9))
                .body("status", equalTo("warning"))
                .body(
                        "errors",
                        hasItem(containsString("fetch-bars refused the internal token (HTTP 401): check "
                                + "BACKFILL_INTERNAL_TOKEN on both sides")))
                .body("errors", hasItem(containsString("fetch-bars-batch refused the internal token (HTTP 401)")));

        List<Map<String, Object>> released = runs("attempt = 1");
        assertThat(released).hasSize(9).allSatisfy(r -> {
            assertThat(r)
                    .containsEntry("status", "queued")
                    .containsEntry("error_code", "DISPATCH_FAILED")
                    .containsEntry("lease_token", null)
                    .containsEntry("lease_expires_at", null);
            assertThat(instant(r.get("run_after"))).as("backoff").isAfter(Instant.now());
        });
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'queued' AND attempt = 0"))
                .isEqualTo(8);
        assertThat(fetchers.answeredAfter(Service.FETCH_BARS, singleBefore, 1)).containsExactly("POST /fetch-bars 401");
        assertThat(fetchers.answeredAfter(Service.FETCH_BARS_BATCH, batchBefore, 4))
                .containsExactly(
                        "POST /fetch-bars-batch 401",
                        "POST /fetch-bars-batch 401",
                        "POST /fetch-bars-batch 401",
                        "POST /fetch-bars-batch 401");
        assertThat(simulator.barRequests()).isZero();
    }

    private static String day(int day) {
        return "2024-01-%02dT00:00:00Z".formatted(day);
    }
}
