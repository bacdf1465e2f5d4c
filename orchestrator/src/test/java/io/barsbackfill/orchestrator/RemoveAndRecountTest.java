package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code remove} and {@code recount} on the real database, with the fetch functions in process: ALPHA (AAPL, MSFT)
 * shares its MSFT runs with BETA (MSFT). Removing ALPHA leaves BETA's runs and bars as they were, the counters equal
 * to the runs, and {@code status} without ALPHA; {@code recount} finds counters corrupted by hand and repairs them.
 */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class RemoveAndRecountTest extends OrchestratorTestBase {

    private static final String FROM = "2024-01-01T00:00:00Z";
    private static final String TO = "2024-03-01T00:00:00Z";
    private static final String AAPL_BARS = "SELECT count(*) FROM ohlc_bars WHERE symbol = 'AAPL'";
    private static final String MSFT_BARS = "SELECT count(*) FROM ohlc_bars WHERE symbol = 'MSFT'";

    /** ALPHA and BETA fetched: 2 monthly h1 slices each of AAPL (ALPHA's own) and MSFT (shared). */
    private UUID backfilled() {
        UUID alpha = definition("ALPHA", "h1", FROM, TO, 100, "AAPL", "MSFT");
        UUID beta = definition("BETA", "h1", FROM, TO, 100, "MSFT");
        tickUntilDone();
        assertThat(count("SELECT count(*) FROM job_runs")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM job_definition_runs WHERE job_def_id = ?", beta))
                .isEqualTo(2);
        assertThat(count(AAPL_BARS)).isPositive();
        assertThat(count(MSFT_BARS)).isPositive();
        return alpha;
    }

    @Test
    void removeCancelsItsOwnRunsEvenRunningOnesAndKeepsSharedRunsAndAllBars() {
        backfilled();
        long aaplBars = count(AAPL_BARS);
        long msftBars = count(MSFT_BARS);
        // the backfill goes on: ALPHA refreshed (its AAPL and the shared MSFT runs queued again), and a fetcher
        // holding the lease of one of its AAPL runs
        orchestrator(Map.of("action", "refresh", "definition", "ALPHA")).statusCode(200);
        UUID leased = (UUID) db.query("SELECT id FROM job_runs WHERE symbol = 'AAPL' ORDER BY slice_from LIMIT 1")
                .get(0)
                .get("id");
        UUID token = UUID.randomUUID();
        db.execute("""
                UPDATE job_runs SET status = 'running', attempt = attempt + 1, lease_token = ?,
                       lease_expires_at = now() + interval '5 minutes' WHERE id = ?""", token, leased);

        orchestrator(Map.of("action", "remove", "definition", "ALPHA"))
                .statusCode(200)
                .body("action", equalTo("remove"))
                .body("definition", equalTo("ALPHA"))
                .body("definition_removed", equalTo(true))
                .body("dry_run", equalTo(false))
                .body("runs_cancelled", equalTo(2))
                .body("runs_shared", equalTo(2))
                .body("bars_deleted", nullValue());

        assertThat(db.query("SELECT name FROM job_definitions"))
                .extracting(r -> r.get("name"))
                .containsExactly("BETA");
        assertThat(count("SELECT count(*) FROM job_definition_runs")).isEqualTo(2);
        assertThat(db.query("SELECT symbol, status FROM job_runs ORDER BY symbol, slice_from"))
                .extracting(r -> r.get("symbol") + "=" + r.get("status"))
                .containsExactly("AAPL=cancelled", "AAPL=cancelled", "MSFT=queued", "MSFT=queued");
        assertThat(run(leased)).containsEntry("lease_token", null);
        assertThat(db.execute("""
                        UPDATE job_runs SET lease_expires_at = now() + interval '5 minutes'
                        WHERE id = ? AND lease_token = ? AND status = 'running'""", leased, token))
                .as("the fetcher's next lease extension finds the run no longer leased to it")
                .isZero();
        assertThat(count(AAPL_BARS)).isEqualTo(aaplBars);

        for (int i = 0; i < 5 && count("SELECT count(*) FROM job_runs WHERE status = 'queued'") > 0; i++) {
            action("tick").statusCode(200);
        }
        assertThat(db.query("SELECT status FROM job_runs WHERE symbol = 'MSFT'"))
                .extracting(r -> r.get("status"))
                .containsOnly("success");
        assertThat(count(MSFT_BARS)).isEqualTo(msftBars);
        action("status")
                .statusCode(200)
                .body("definitions", hasSize(1))
                .body("definitions[0].name", equalTo("BETA"))
                .body("definitions[0].runs.success", equalTo(2))
                .body("runs.cancelled", equalTo(2));
        assertCountersEqualRuns();
        orchestrator(Map.of("action", "recount")).statusCode(200).body("drift", equalTo(0));
    }

    @Test
    void removeWithDeleteBarsCountsFirstThenDeletesOnlyBarsNoOtherDefinitionCovers() {
        UUID alpha = backfilled();
        long aaplBars = count(AAPL_BARS);
        long msftBars = count(MSFT_BARS);
        List<Map<String, Object>> betaRuns = runsBesidesFirstAsker("MSFT");

        orchestrator(body("action", "remove", "definition", "ALPHA", "delete_bars", true, "dry_run", true))
                .statusCode(200)
                .body("dry_run", equalTo(true))
                .body("definition_removed", equalTo(false))
                .body("bars_deleted", equalTo((int) aaplBars))
                .body("runs_cancelled", equalTo(2))
                .body("runs_shared", equalTo(2));
        assertThat(count("SELECT count(*) FROM job_definitions WHERE id = ?", alpha))
                .isOne();
        assertThat(count(AAPL_BARS)).isEqualTo(aaplBars);
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'success'"))
                .isEqualTo(4);

        orchestrator(body("action", "remove", "definition", "ALPHA", "delete_bars", true))
                .statusCode(200)
                .body("definition_removed", equalTo(true))
                .body("bars_deleted", equalTo((int) aaplBars))
                .body("runs_cancelled", equalTo(2));

        assertThat(count(AAPL_BARS)).isZero();
        assertThat(count(MSFT_BARS)).isEqualTo(msftBars);
        assertThat(runsBesidesFirstAsker("MSFT")).isEqualTo(betaRuns);
        assertThat(db.query("SELECT status FROM job_runs WHERE symbol = 'AAPL'"))
                .extracting(r -> r.get("status"))
                .containsOnly("cancelled");
        action("status").statusCode(200).body("definitions", hasSize(1)).body("definitions[0].name", equalTo("BETA"));
        assertCountersEqualRuns();

        orchestrator(Map.of("action", "remove", "definition", "ALPHA"))
                .statusCode(400)
                .body("field", equalTo("definition"))
                .body("error", containsString("no definition named 'ALPHA'"));
    }

    @Test
    void removeRefusesBadInputNamingTheField() {
        orchestrator(Map.of("action", "remove")).statusCode(400).body("field", equalTo("definition"));
        orchestrator(Map.of("action", "remove", "definition", "NOPE"))
                .statusCode(400)
                .body("field", equalTo("definition"));
        orchestrator(Map.of("action", "remove", "definition", "bad name!"))
                .statusCode(400)
                .body("field", equalTo("definition"));
        orchestrator(body("action", "remove", "definition", "NOPE", "delete_bars", "maybe"))
                .statusCode(400)
                .body("field", equalTo("delete_bars"));
        orchestrator(body("action", "cancel", "delete_bars", true))
                .statusCode(400)
                .body("field", equalTo("delete_bars"));
        orchestrator(body("action", "recount", "definition", "ALPHA"))
                .statusCode(400)
                .body("field", equalTo("definition"));
    }

    @Test
    void recountReportsCountersCorruptedByHandAndRepairsThem() {
        UUID alpha = backfilled();
        assertCountersEqualRuns();
        db.execute("INSERT INTO run_counts (status, runs, rows_written, bars_fetched) VALUES ('success', 5, 7, 0)");
        db.execute("""
                INSERT INTO definition_run_counts (job_def_id, status, runs, rows_written, bars_fetched)
                VALUES (?, 'queued', 3, 0, 0), (gen_random_uuid(), 'failed', 1, 0, 0)""", alpha);
        action("status").statusCode(200).body("runs.success", equalTo(9));

        ValidatableResponse answer = action("recount")
                .statusCode(200)
                .body("action", equalTo("recount"))
                .body("drift", equalTo(3))
                .body("repaired", equalTo(true))
                .body("differences", hasSize(3))
                .body("differences[0].definition", nullValue())
                .body("differences[0].status", equalTo("success"))
                .body("differences[0].counted_runs", equalTo(9))
                .body("differences[0].actual_runs", equalTo(4))
                .body("differences[1].definition", equalTo("ALPHA"))
                .body("differences[1].status", equalTo("queued"))
                .body("differences[1].counted_runs", equalTo(3))
                .body("differences[1].actual_runs", equalTo(0));
        long rowsWritten = count("SELECT sum(rows_written) FROM job_runs");
        answer.body("differences[0].counted_rows_written", equalTo((int) rowsWritten + 7))
                .body("differences[0].actual_rows_written", equalTo((int) rowsWritten));

        assertCountersEqualRuns();
        action("status").statusCode(200).body("runs.success", equalTo(4)).body("runs.total", equalTo(4));
        action("recount").statusCode(200).body("drift", equalTo(0)).body("repaired", equalTo(false));
    }

    /** A transition under way when recount starts is waited for, and counted once: by the trigger or by recount. */
    @Test
    void recountWaitsForATransitionUnderWayAndCountsItOnce() throws Exception {
        backfilled();
        db.execute("INSERT INTO run_counts (status, runs, rows_written, bars_fetched) VALUES ('failed', 2, 0, 0)");
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE job_runs SET status = 'failed', error_code = 'INVALID_SYMBOL' "
                        + "WHERE symbol = 'AAPL'");
            }
            CompletableFuture<Integer> recount = CompletableFuture.supplyAsync(
                    () -> action("recount").statusCode(200).extract().path("drift"));
            Thread.sleep(1_000);
            assertThat(recount).as("recount waits for the transition to commit").isNotDone();
            c.commit();
            assertThat(recount.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertCountersEqualRuns();
        assertThat(count("SELECT count(*) FROM job_runs WHERE status = 'failed'"))
                .isEqualTo(2);
        action("status").statusCode(200).body("runs.failed", equalTo(2));
    }

    /**
     * A symbol's runs, every column but {@code job_def_id}: the definition that asked first, which the schema sets
     * to null when that definition goes (nothing reads it; the links say which definitions a run serves).
     */
    private List<Map<String, Object>> runsBesidesFirstAsker(String symbol) {
        List<Map<String, Object>> rows = runs("symbol = ?", symbol);
        rows.forEach(r -> r.remove("job_def_id"));
        return rows;
    }

    private void assertCountersEqualRuns() {
        assertThat(db.query(CounterTriggerMigrationTest.BY_STATUS))
                .as("counters by status")
                .isEqualTo(db.query(CounterTriggerMigrationTest.ACTUAL_BY_STATUS));
        assertThat(db.query(CounterTriggerMigrationTest.BY_DEFINITION))
                .as("counters by definition")
                .isEqualTo(db.query(CounterTriggerMigrationTest.ACTUAL_BY_DEFINITION));
    }
}
