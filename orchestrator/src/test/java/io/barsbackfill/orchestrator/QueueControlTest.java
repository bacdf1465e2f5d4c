package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** retry_failed and cancel, on an orchestrator with dispatch paused: what a tick plans stays queued. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class QueueControlTest extends OrchestratorTestBase {

    @Test
    void retryFailedRequeuesMatchingRunsNowWithAFreshAttemptBudget() {
        UUID dispatchFailed = failedRun("AAPL", "DISPATCH_FAILED", 5);
        UUID invalid = failedRun("MSFT", "INVALID_SYMBOL", 1);
        UUID done = queuedRun("NVDA", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        db.execute("UPDATE job_runs SET status = 'success', finished_at = now() WHERE id = ?", done);

        orchestrator(Map.of("action", "retry_failed", "error_code", "DISPATCH_FAILED"))
                .statusCode(200)
                .body("action", equalTo("retry_failed"))
                .body("runs_changed", equalTo(1));

        Map<String, Object> retried = run(dispatchFailed);
        assertThat(retried)
                .containsEntry("status", "queued")
                .containsEntry("attempt", 5)
                .containsEntry("max_attempts", 10)
                .containsEntry("error_code", null)
                .containsEntry("error_message", null)
                .containsEntry("finished_at", null);
        assertThat(count("SELECT count(*) FROM job_runs WHERE id = ? AND run_after <= now()", dispatchFailed))
                .isOne();
        assertThat(run(invalid)).containsEntry("status", "failed");

        orchestrator(Map.of("action", "retry_failed")).statusCode(200).body("runs_changed", equalTo(1));
        assertThat(run(invalid)).containsEntry("status", "queued");
        assertThat(run(done)).containsEntry("status", "success");
    }

    @Test
    void retryFailedFiltersByDefinitionAndSymbol() {
        UUID def = definition("MINE", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100, "AAPL", "MSFT");
        UUID aapl = failedRun("AAPL", "PROVIDER_UNAVAILABLE", 5);
        UUID msft = failedRun("MSFT", "PROVIDER_UNAVAILABLE", 5);
        UUID other = failedRun("NVDA", "PROVIDER_UNAVAILABLE", 5);
        link(def, aapl);
        link(def, msft);

        orchestrator(Map.of("action", "retry_failed", "definition", "MINE", "symbol", "msft"))
                .statusCode(200)
                .body("runs_changed", equalTo(1))
                .body("definition", equalTo("MINE"));

        assertThat(run(msft)).containsEntry("status", "queued");
        assertThat(run(aapl)).containsEntry("status", "failed");
        assertThat(run(other)).containsEntry("status", "failed");
    }

    @Test
    void cancellingADefinitionDisablesItAndCancelsOnlyTheQueuedRunsNoOtherDefinitionWants() {
        UUID mine = definition("MINE", "h1", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 100, "AAPL", "MSFT");
        UUID theirs = definition("THEIRS", "h1", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 100, "MSFT");
        action("tick").statusCode(200).body("slices_created", equalTo(4)).body("dispatches", equalTo(0));
        UUID running = (UUID) db.query("SELECT id FROM job_runs WHERE symbol = 'AAPL' ORDER BY slice_from LIMIT 1")
                .get(0)
                .get("id");
        db.execute("""
                UPDATE job_runs SET status = 'running', lease_token = gen_random_uuid(),
                       lease_expires_at = now() + interval '5 minutes' WHERE id = ?""", running);

        orchestrator(Map.of("action", "cancel", "definition", "MINE"))
                .statusCode(200)
                .body("action", equalTo("cancel"))
                .body("runs_changed", equalTo(1))
                .body("definition_disabled", equalTo(true));

        assertThat(db.query("SELECT name, enabled FROM job_definitions ORDER BY name"))
                .extracting(r -> r.get("name") + "=" + r.get("enabled"))
                .containsExactly("MINE=false", "THEIRS=true");
        assertThat(count("SELECT count(*) FROM job_runs WHERE symbol = 'AAPL' AND status = 'cancelled'"))
                .isOne();
        assertThat(run(running)).containsEntry("status", "running");
        assertThat(count("SELECT count(*) FROM job_runs WHERE symbol = 'MSFT' AND status = 'queued'"))
                .isEqualTo(2);

        db.execute("UPDATE job_definitions SET planned_to = NULL");
        action("tick").statusCode(200).body("scanned", equalTo(1)).body("slices_created", equalTo(0));
        assertThat(mine).isNotEqualTo(theirs);
    }

    @Test
    void cancelBySymbolLeavesOtherTickersQueued() {
        queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        queuedRun("MSFT", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);

        orchestrator(Map.of("action", "cancel", "symbol", "AAPL"))
                .statusCode(200)
                .body("runs_changed", equalTo(1));

        assertThat(db.query("SELECT symbol, status FROM job_runs ORDER BY symbol"))
                .extracting(r -> r.get("symbol") + "=" + r.get("status"))
                .containsExactly("AAPL=cancelled", "MSFT=queued");
    }

    private UUID failedRun(String symbol, String code, int attempt) {
        UUID id = queuedRun(symbol, "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        db.execute("""
                UPDATE job_runs SET status = 'failed', error_code = ?, error_message = 'boom', attempt = ?,
                       max_attempts = 5, finished_at = now(), run_after = now() + interval
                           '1 hour' WHERE id = ?""", code, attempt, id);
        return id;
    }

    private void link(UUID definition, UUID run) {
        db.execute("INSERT INTO job_definition_runs (job_def_id, job_run_id) VALUES (?, ?)", definition, run);
    }
}
