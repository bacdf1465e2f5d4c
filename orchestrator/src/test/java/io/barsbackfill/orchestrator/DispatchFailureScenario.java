package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.barsbackfill.orchestrator.testing.FetchFunction;
import io.barsbackfill.orchestrator.testing.FetcherFault;
import io.barsbackfill.orchestrator.testing.Fetchers;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fetchers that refuse every dispatch with one HTTP status: the tick gives the runs back with backoff, without
 * spending more than the claim's attempt, and stops claiming after max-in-flight dispatches. Each case (a
 * subclass) scripts the fetchers' {@link #fault()}, which answers {@link #status()}.
 */
abstract class DispatchFailureScenario extends OrchestratorTestBase {

    @Inject
    Fetchers fetchers;

    /** How the fetchers misbehave. */
    abstract FetcherFault fault();

    /** The status every dispatch is answered with. */
    int status() {
        return fault().status();
    }

    @BeforeEach
    void scriptFault() {
        fetchers.script(fault());
    }

    @AfterEach
    void fetchersWork() {
        fetchers.script(FetcherFault.none());
    }

    /** What the tick reports for fetch-bars and for fetch-bars-batch. */
    abstract List<String> tickErrors();

    @Test
    void theRunsGoBackWithBackoffAndTheTickStopsClaiming() {
        queuedRun("SPY", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 100); // the oldest slice: first
        for (int day = 1; day <= 15; day += 2) {
            // every other day: consecutive slices of the same tickers would share one dispatch
            queuedRun("AAPL", "m1", day(day), day(day + 1), 100);
            queuedRun("MSFT", "m1", day(day), day(day + 1), 100);
        }
        int singleBefore = fetchers.answered(FetchFunction.FETCH_BARS).size();
        int batchBefore = fetchers.answered(FetchFunction.FETCH_BARS_BATCH).size();

        ValidatableResponse tick = action("tick")
                .statusCode(200)
                .body("dispatches", equalTo(5)) // max-in-flight groups at once, then no more claims
                .body("jobs_dispatched", equalTo(0))
                .body("runs_released", equalTo(9))
                .body("runs_failed", equalTo(0))
                .body("status", equalTo("warning"));
        tickErrors().forEach(e -> tick.body("errors", hasItem(containsString(e))));

        List<Map<String, Object>> released = runs("attempt = 1");
        assertThat(released).hasSize(9).allSatisfy(r -> {
            assertThat(r)
                    .containsEntry("status", "queued")
                    .containsEntry("error_code", "DISPATCH_FAILED")
                    .containsEntry("lease_token", null)
                    .containsEntry("lease_expires_at", null);
            assertThat((String) r.get("error_message")).contains("HTTP " + status());
            assertThat(instant(r.get("run_after"))).as("backoff").isAfter(Instant.now());
        });
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'queued' AND attempt = 0"))
                .isEqualTo(8);
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'running'"))
                .isZero();
        assertThat(fetchers.answeredAfter(FetchFunction.FETCH_BARS, singleBefore, 1))
                .containsExactly("POST /fetch-bars " + status());
        assertThat(fetchers.answeredAfter(FetchFunction.FETCH_BARS_BATCH, batchBefore, 4))
                .containsExactlyElementsOf(Collections.nCopies(4, "POST /fetch-bars-batch " + status()));
        assertThat(simulator.barRequests()).isZero();
    }

    private static String day(int day) {
        return "2024-01-%02dT00:00:00Z".formatted(day);
    }
}
