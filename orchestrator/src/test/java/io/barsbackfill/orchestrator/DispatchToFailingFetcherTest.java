package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.FetcherFault;
import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The dispatch-failure scenario with fetchers that answer every call 500, as a fetcher whose database does not
 * exist answers (alive, but every call fails checking its leases).
 */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class DispatchToFailingFetcherTest extends DispatchFailureScenario {

    @Override
    FetcherFault fault() {
        return FetcherFault.status(500);
    }

    @Override
    int status() {
        return 500;
    }

    @Override
    List<String> tickErrors() {
        return List.of("fetch-bars answered HTTP 500", "fetch-bars-batch answered HTTP 500");
    }

    @Test
    void aRunThatUsedItsLastAttemptFailsInsteadOfGoingBack() {
        UUID id = queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        db.execute("UPDATE job_runs SET attempt = 4, max_attempts = 5 WHERE id = ?", id);

        action("tick")
                .statusCode(200)
                .body("dispatches", equalTo(1))
                .body("runs_failed", equalTo(1))
                .body("runs_released", equalTo(0));

        Map<String, Object> run = run(id);
        assertThat(run)
                .containsEntry("status", "failed")
                .containsEntry("error_code", "DISPATCH_FAILED")
                .containsEntry("attempt", 5)
                .containsEntry("lease_token", null);
        assertThat(run.get("finished_at")).isNotNull();
    }
}
