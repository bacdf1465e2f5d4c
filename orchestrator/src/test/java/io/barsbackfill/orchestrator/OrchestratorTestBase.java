package io.barsbackfill.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorFaults;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.QueueFixtures;
import io.barsbackfill.testing.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared by the orchestrator tests: one application on a throw-away database (emptied before each test) with
 * the market simulator as provider. Where the fetchers come from is up to each test class: the fetch functions'
 * real work in process ({@code InProcessFetchersResource}), or none with dispatch paused
 * ({@code DispatchPausedResource}) where a test is about planning, queue control or input and a dispatch would
 * only be in the way.
 */
public abstract class OrchestratorTestBase {

    protected static final String TOKEN = "test-token";

    @InjectTestDatabase
    protected TestDatabase db;

    @InjectSimulator
    protected MarketSimulator simulator;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @BeforeEach
    void emptyDatabase() {
        db.execute("""
                TRUNCATE job_definitions, job_runs, job_definition_runs, symbols, orchestrator_heartbeat, rate_limits,
                         ohlc_bars, provider_gate, verified_gaps""");
        simulator.resetCounters();
        simulator.faults(SimulatorFaults.NONE);
    }

    protected static ValidatableResponse orchestrator(Map<String, ?> body) {
        return given().auth()
                .oauth2(TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/orchestrator")
                .then();
    }

    protected static ValidatableResponse action(String action) {
        return orchestrator(Map.of("action", action));
    }

    protected static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** A definition straight into the table, as enqueue would store it (no provider check). */
    protected UUID definition(String name, String timeframe, String from, String to, int priority, String... symbols) {
        return (UUID) db.query("""
                INSERT INTO job_definitions (name, symbols, timeframe, window_from, window_to, priority)
                VALUES (?, ?::text[],
                    ?, ?::timestamptz,
                    ?::timestamptz, ?)
                    RETURNING id""", name, "{" + String.join(",", symbols) + "}", timeframe, from, to, priority)
                .get(0)
                .get("id");
    }

    /** A queued run, ready now unless {@code runAfter} says otherwise. */
    protected UUID queuedRun(String symbol, String timeframe, String from, String to, int priority) {
        return (UUID)
                db.query("""
                INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, priority, run_after)
                VALUES (?, ?, ?::timestamptz,
                    ?::timestamptz, ?, now() - interval
                    '1 second') RETURNING id""", symbol, timeframe, from, to, priority).get(0).get("id");
    }

    /** Ticks until no run is queued or running (at most ten ticks); every run must then be {@code success}. */
    protected void tickUntilDone() {
        for (int i = 0;
                i < 10 && count("SELECT count(*) FROM job_runs WHERE status IN ('queued', 'running')") > 0 || i == 0;
                i++) {
            action("tick").statusCode(200);
        }
        assertThat(count("SELECT count(*) FROM job_runs WHERE status <> 'success'"))
                .isZero();
    }

    protected long count(String sql, Object... params) {
        return db.queryLong(sql, params);
    }

    protected Map<String, Object> run(UUID id) {
        return db.query("SELECT * FROM job_runs WHERE id = ?", id).get(0);
    }

    protected List<Map<String, Object>> runs(String where, Object... params) {
        return db.query("SELECT * FROM job_runs WHERE " + where + " ORDER BY slice_from, symbol", params);
    }

    /** The bars stored for {@code symbol} at {@code timeframe} with {@code from <= ts < to}, in time order. */
    protected List<Bar> storedBars(String symbol, String timeframe, Instant from, Instant to) {
        return new QueueFixtures(db).storedBars(symbol, timeframe, from, to);
    }

    /** Exactly what the simulator serves for a run's symbol and slice. */
    protected List<Bar> servedBars(Map<String, Object> run) {
        return simulator.bars(
                (String) run.get("symbol"),
                Timeframe.fromName(String.valueOf(run.get("timeframe"))).orElseThrow(),
                instant(run.get("slice_from")),
                instant(run.get("slice_to")));
    }

    protected static Instant instant(Object timestamp) {
        if (timestamp instanceof Instant t) {
            return t;
        }
        if (timestamp instanceof Timestamp t) {
            return t.toInstant();
        }
        if (timestamp instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        throw new IllegalArgumentException("not a timestamp: " + timestamp);
    }
}
