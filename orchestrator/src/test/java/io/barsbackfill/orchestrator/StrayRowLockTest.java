package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.barsbackfill.simulator.SimulatorFaults;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A stray row lock (an operator's open transaction that did {@code SELECT ... FOR UPDATE} on a running run) must
 * not stop the queue: the fetcher's store waits at most {@code backfill.database.lock-timeout} (2 s here, {@link
 * InProcessFetchersResource}), gives the run back without spending an attempt, the tick ends, and the next tick
 * reaps and retries as usual. Without a lock timeout the store waited for the lock for as long as it was held.
 */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class StrayRowLockTest extends OrchestratorTestBase {

    /** The provider's answer is held this long: the window in which the test locks the run it claimed. */
    private static final Duration PROVIDER_DELAY = Duration.ofMillis(1_000);

    /** How long the test waits for the store to give up, far beyond the 2 s lock timeout. */
    private static final Duration GIVE_UP = Duration.ofSeconds(30);

    @Test
    void aStoreWaitingOnAStrayRowLockGivesUpAtTheLockTimeoutSpendsNoAttemptAndTheNextTickRetriesIt() throws Exception {
        UUID run = queuedRun("AAPL", "d1", "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z", 100);
        simulator.faults(SimulatorFaults.NONE.withLatencySpikes(1, PROVIDER_DELAY));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            CompletableFuture<JsonPath> tick = CompletableFuture.supplyAsync(
                    () -> action("tick").statusCode(200).extract().jsonPath(), caller);
            await(() -> "running".equals(run(run).get("status")), "the tick claimed the run");
            try (Statement lock = holder.createStatement()) {
                lock.execute("SELECT * FROM job_runs WHERE id = '" + run + "' FOR UPDATE");
            }
            // the store's lock of the run waits on the holder, gives up, and the give-back then waits in turn
            Instant storeWaitBegan = waitingSince("FOR UPDATE OF r");
            Instant giveBackBegan = waitingSince("attempt = GREATEST");
            Duration storeWaited = Duration.between(storeWaitBegan, giveBackBegan);
            System.out.printf(
                    "STRAY-LOCK the store waited %d ms on the locked row, then gave the run back%n",
                    storeWaited.toMillis());
            assertThat(storeWaited)
                    .as("the store waited the lock timeout, not for the lock")
                    .isBetween(Duration.ofMillis(1_900), Duration.ofSeconds(10));
            holder.rollback(); // the operator ends the transaction; the give-back gets the row

            JsonPath ended = tick.get(GIVE_UP.toSeconds(), TimeUnit.SECONDS);
            assertThat(ended.getInt("jobs_dispatched")).isEqualTo(1);
        } finally {
            caller.shutdownNow();
        }
        Map<String, Object> givenBack = run(run);
        assertThat(givenBack)
                .as("back in the queue, uncharged")
                .containsEntry("status", "queued")
                .containsEntry("attempt", 0)
                .containsEntry("error_code", "STORAGE_ERROR")
                .containsEntry("lease_token", null);
        assertThat((String) givenBack.get("error_message")).contains("SQLSTATE 55P03");
        assertThat(count("SELECT count(*) FROM ohlc_bars"))
                .as("the transaction rolled back")
                .isZero();

        // the next tick reaps an expired lease and retries the run once its backoff has passed
        simulator.faults(SimulatorFaults.NONE);
        UUID expired = (UUID) db.query("""
                INSERT INTO job_runs (symbol, timeframe, slice_from, slice_to, status, attempt, lease_token,
                                      lease_expires_at, leased_by, dispatch_id, started_at)
                VALUES ('MSFT', 'd1', '2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z', 'running', 1,
                        gen_random_uuid(), now() - interval '1 second', 'dead-fetcher', gen_random_uuid(), now())
                RETURNING id""").get(0).get("id");
        db.execute("UPDATE job_runs SET run_after = now() WHERE id = ?", run);
        action("tick").statusCode(200).body("reaped", equalTo(1)).body("jobs_dispatched", equalTo(1));
        assertThat(run(expired)).containsEntry("status", "queued").containsEntry("error_code", "LEASE_EXPIRED");
        Map<String, Object> retried = run(run);
        assertThat(retried).containsEntry("status", "success").containsEntry("attempt", 1);
        assertThat(storedBars("AAPL", "d1", instant(retried.get("slice_from")), instant(retried.get("slice_to"))))
                .isEqualTo(servedBars(retried));
    }

    /**
     * When a backend began the statement (containing {@code query}) that now waits on a lock: the server's own
     * clock, read from a connection of its own (pg_stat_activity is a snapshot per transaction).
     */
    private Instant waitingSince(String query) throws InterruptedException {
        Instant deadline = Instant.now().plus(GIVE_UP);
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> waiting = db.query("""
                    SELECT query_start FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock'
                      AND position(? in query) > 0""", query);
            if (!waiting.isEmpty()) {
                return instant(waiting.get(0).get("query_start"));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no statement with '" + query + "' waited on the lock within " + GIVE_UP + ": "
                + db.query("SELECT state, wait_event_type, query, now() - query_start AS running FROM pg_stat_activity"
                        + " WHERE datname = current_database()"));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(GIVE_UP);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + GIVE_UP + ": " + what);
            }
            Thread.sleep(10);
        }
    }
}
