package io.barsbackfill.orchestrator;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class StatusTest extends OrchestratorTestBase {

    @Test
    void countsEveryRunByStatusOverallAndPerDefinition() {
        UUID def = definition("US_BATCH_1", "m1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100, "AAPL");
        for (int day = 1; day <= 31; day++) {
            UUID id = queuedRun(
                    "AAPL",
                    "m1",
                    "2024-01-%02dT00:00:00Z".formatted(day),
                    day == 31 ? "2024-02-01T00:00:00Z" : "2024-01-%02dT00:00:00Z".formatted(day + 1),
                    100);
            db.execute("INSERT INTO job_definition_runs (job_def_id, job_run_id) VALUES (?, ?)", def, id);
            if (day <= 5) {
                db.execute("""
                        UPDATE job_runs SET status = 'success', rows_written = 100, bars_fetched = 120,
                               finished_at = now() WHERE id = ?""", id);
            } else if (day <= 8) {
                db.execute("""
                        UPDATE job_runs SET status = 'failed', error_code = 'INVALID_SYMBOL',
                               error_message = 'provider rejected AAPL', finished_at = now() WHERE id = ?""", id);
            } else if (day == 9) {
                db.execute("UPDATE job_runs SET status = 'cancelled', finished_at = now() WHERE id = ?", id);
            } else if (day == 10) {
                db.execute("""
                        UPDATE job_runs SET status = 'running', lease_token = gen_random_uuid(), dispatch_id =
                            gen_random_uuid(),
                               lease_expires_at = now() + interval '5 minutes' WHERE id = ?""", id);
            } else if (day == 11) {
                db.execute("""
                        UPDATE job_runs SET error_code = 'DISPATCH_FAILED', error_message =
                            'fetch-bars answered HTTP 503',
                               run_after = now() + interval '1 minute' WHERE id = ?""", id);
            }
        }
        queuedRun("MSFT", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 100);

        action("status")
                .statusCode(200)
                .body("version", not(emptyOrNullString()))
                .body("runs.queued", equalTo(22)) // 21 of the definition (one in backoff) + MSFT
                .body("runs.running", equalTo(1))
                .body("runs.success", equalTo(5))
                .body("runs.failed", equalTo(3))
                .body("runs.cancelled", equalTo(1))
                .body("runs.total", equalTo(32))
                .body("ready", equalTo(21))
                .body("bars.rows_written", equalTo(500))
                .body("bars.bars_fetched", equalTo(600))
                .body("progress.done", equalTo(5))
                .body("progress.total", equalTo(31))
                .body("throughput.runs_succeeded", equalTo(5))
                .body("throughput.runs_failed", equalTo(3))
                .body("in_flight.dispatches", equalTo(1))
                .body("in_flight.max_dispatches", equalTo(5))
                .body("oldest_queued_age_seconds", lessThan(60))
                .body("failures", hasSize(1))
                .body("failures[0].error_code", equalTo("INVALID_SYMBOL"))
                .body("failures[0].runs", equalTo(3))
                .body("failures[0].last_hour", equalTo(3))
                .body("failures[0].sample", containsString("AAPL"))
                .body("retrying[0].error_code", equalTo("DISPATCH_FAILED"))
                .body("definitions", hasSize(1))
                .body("definitions[0].name", equalTo("US_BATCH_1"))
                .body("definitions[0].runs.total", equalTo(31))
                .body("definitions[0].runs.queued", equalTo(21))
                .body("definitions[0].bars.rows_written", equalTo(500))
                .body("definitions[0].progress.percent", equalTo(16.67f));
    }

    @Test
    void showsEachOrchestratorsHeartbeatAfterATick() {
        action("tick").statusCode(200);

        action("status")
                .statusCode(200)
                .body("heartbeats", hasSize(1))
                .body("heartbeats[0].status", equalTo("healthy"))
                .body("heartbeats[0].age_seconds", lessThan(60))
                .body("heartbeats[0].name", containsString("-"))
                .body("heartbeats[0].version", not(emptyOrNullString()));
    }

    @Test
    void showsEveryProvidersGateAndKeepsProviderAsAlpacas() {
        db.execute("""
                INSERT INTO provider_gate (provider, state, reason, opened_at, last_error, consecutive_failures,
                                           next_probe_at)
                VALUES ('massive', 'open', 'PROVIDER_AUTH', '2026-01-02T03:04:05Z', 'Massive answered HTTP 401', 1,
                        now() + interval '1 hour')""");

        action("status")
                .statusCode(200)
                .body("providers", hasSize(2))
                .body("providers.name", contains("alpaca", "massive"))
                .body("providers[0].state", equalTo("closed"))
                .body("providers[0].reason", nullValue())
                .body("providers[1].state", equalTo("open"))
                .body("providers[1].reason", equalTo("PROVIDER_AUTH"))
                .body("providers[1].since", equalTo("2026-01-02T03:04:05Z"))
                .body("providers[1].last_error", equalTo("Massive answered HTTP 401"))
                .body("providers[1].next_probe_at", not(emptyOrNullString()))
                .body("providers[1].consecutive_failures", equalTo(1))
                .body("provider.name", equalTo("alpaca"))
                .body("provider.state", equalTo("closed"));
    }

    @Test
    void theTickAnswersItsFieldsAtTheTopLevel() {
        Map<String, Object> tick =
                action("tick").statusCode(200).extract().jsonPath().getMap("");
        Assertions.assertThat(tick)
                .containsKeys("scanned", "slices_created", "jobs_dispatched", "reaped", "errors", "duration_ms")
                .doesNotContainKeys("tick", "status_report", "runs");
    }
}
