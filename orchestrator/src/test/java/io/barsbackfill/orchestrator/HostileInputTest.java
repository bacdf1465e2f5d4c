package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.testing.HostileRequests;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives at {@code /orchestrator}, the answer is a 4xx with the JSON error body and nothing is
 * written; and whatever valid rows the tables hold, {@code status} answers.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class HostileInputTest extends OrchestratorTestBase {

    @Test
    void everyHostileRequestToEveryActionIsRefusedWithTheJsonErrorBodyAndWritesNothing() {
        List<HostileRequests.Case> cases = new ArrayList<>(HostileRequests.against(
                body(
                        "action",
                        "enqueue",
                        "name",
                        "TEST_1",
                        "symbols",
                        List.of("AAPL", "MSFT"),
                        "timeframe",
                        "h1",
                        "from",
                        "2024-01-01T00:00:00Z",
                        "to",
                        "2024-04-01T00:00:00Z",
                        "priority",
                        150,
                        "on_unknown",
                        "skip"),
                List.of("action", "name", "symbols", "timeframe", "from", "to", "priority", "on_unknown")));
        cases.removeIf(c -> c.name().equals("name = year 0001")); // "0001-01-01T00:00:00Z" is a fine label
        for (String action : List.of("retry_failed", "cancel")) {
            cases.addAll(HostileRequests.against(
                    body("action", action, "definition", "TEST_1", "symbol", "AAPL", "error_code", "INVALID_SYMBOL"),
                    List.of("definition", "symbol", "error_code")));
        }

        List<String> refusals = HostileRequests.refusals(orchestratorUri(), TOKEN, cases);

        assertThat(refusals).as("of %d hostile requests", cases.size()).isEmpty();
        assertThat(cases).hasSizeGreaterThan(100);
        assertThat(count("SELECT count(*) FROM job_definitions")).isZero();
        assertThat(count("SELECT count(*) FROM job_runs")).isZero();
        assertThat(count("SELECT count(*) FROM symbols")).isZero();
        assertThat(count("SELECT count(*) FROM orchestrator_heartbeat"))
                .as("no tick ran")
                .isZero();
        assertThat(simulator.barRequests()).as("nothing reached the provider").isZero();
    }

    @Test
    void statusAnswersWhateverValidRowsTheTablesHold() {
        String manySymbols = "{" + String.join(",", tickers(5_000)) + "}";
        UUID wide = (UUID) db.query("""
                INSERT INTO job_definitions (name, symbols, timeframe, window_from, window_to, priority, planned_to)
                VALUES (?, ?::text[], 'm1', '4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59+00', 2147483647,
                        'infinity') RETURNING id""", "W".repeat(64), manySymbols).get(0).get("id");
        UUID open = (UUID) db.query("""
                INSERT INTO job_definitions (name, symbols, timeframe, window_from, window_to, priority, planned_to)
                VALUES ('OPEN', '{AAPL}', 'd1', '-infinity', NULL, -2147483648, '-infinity')
                    RETURNING id""").get(0).get("id");
        db.execute("""
                INSERT INTO job_definitions (name, symbols, timeframe, window_from, window_to, enabled)
                VALUES ('FAR', '{MSFT}', 'w1', '200000-01-01 00:00:00+00', 'infinity', false)""");
        String huge = "x".repeat(1_000_000);
        Object[] params = {"E".repeat(1_000), huge, "{" + String.join(",", tickers(400)) + "}"};
        db.execute("""
                INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, status, priority, attempt, max_attempts,
                                      run_after, rows_written, bars_fetched, error_code, error_message, created_at,
                                      finished_at, updated_at)
                SELECT s, 'm1', '-infinity', 'infinity', st, 2147483647, 2147483647, 2147483647, ra,
                       2147483647, 2147483647, ?, ?, '-infinity', fin, upd
                FROM unnest(?::text[]) WITH ORDINALITY AS t(s, n)
                CROSS JOIN LATERAL (SELECT (ARRAY['queued','success','failed','cancelled'])[1 + n % 4] AS st,
                                           CASE WHEN n % 2 = 0 THEN timestamptz 'infinity' ELSE '-infinity' END AS ra,
                                           CASE WHEN n % 3 = 0 THEN timestamptz 'infinity' ELSE '-infinity' END AS fin,
                                           CASE WHEN n % 5 = 0 THEN timestamptz '294276-12-31 23:59:59+00'
                                                ELSE '4713-01-01 00:00:00+00 BC' END AS upd) x""", params);
        db.execute("""
                INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, status, lease_token, lease_expires_at,
                                      leased_by, dispatch_id, started_at)
                VALUES ('AAPL', 'd1', '4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59+00', 'running',
                        gen_random_uuid(), 'infinity', ?, gen_random_uuid(), '-infinity'),
                       ('MSFT', 'd1', '2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'running',
                        gen_random_uuid(), '-infinity', NULL, NULL, 'infinity')""", huge);
        db.execute("INSERT INTO job_definition_runs (job_def_id, job_run_id) SELECT ?, id FROM job_runs", wide);
        db.execute("INSERT INTO job_definition_runs (job_def_id, job_run_id) SELECT ?, id FROM job_runs", open);
        db.execute("""
                INSERT INTO orchestrator_heartbeat (name, last_seen, status, message, version, last_tick)
                VALUES ('past', '-infinity', 'error', ?, ?, '{"errors": []}'),
                       ('future', 'infinity', 'healthy', NULL, NULL, NULL),
                       ('ancient', '4713-01-01 00:00:00+00 BC', 'warning', '', '', '[]')""", huge, huge);

        action("status")
                .statusCode(200)
                .body("runs.total", equalTo(402))
                .body("definitions.size()", equalTo(3))
                .body("heartbeats.size()", equalTo(3))
                .body("failures.size()", greaterThanOrEqualTo(1));
        action("tick").statusCode(200);
        action("status").statusCode(200);
    }

    private static List<String> tickers(int n) {
        List<String> tickers = new ArrayList<>(n);
        for (int i = 0; tickers.size() < n; i++) {
            StringBuilder t = new StringBuilder();
            for (int v = i; t.length() < 4; v /= 26) {
                t.append((char) ('A' + v % 26));
            }
            tickers.add(t.toString());
        }
        return tickers;
    }

    private static URI orchestratorUri() {
        return URI.create("http://localhost:" + RestAssured.port + "/orchestrator");
    }
}
