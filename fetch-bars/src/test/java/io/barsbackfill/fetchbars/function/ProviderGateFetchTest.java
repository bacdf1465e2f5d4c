package io.barsbackfill.fetchbars.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorFaults;
import io.barsbackfill.testing.FunctionCalls;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.SimulatorResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a fetcher does when the provider fails for everyone, answers garbage, or the fetch outlives its lease:
 * the health gate in {@code provider_gate}, attempts spent only for the run's own failures, no 500s, leases
 * extended per page, connection loss while storing (all against the real PostgreSQL and the simulator).
 */
@QuarkusTest
@TestProfile(ProviderGateFetchTest.SmallPagesShortLease.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class ProviderGateFetchTest {

    private static final Instant WEEK_FROM = Instant.parse("2024-03-04T00:00:00Z");
    private static final Instant WEEK_TO = Instant.parse("2024-03-11T00:00:00Z");
    private static final int ATTEMPTS_PER_PAGE = 4;

    @InjectTestDatabase
    TestDatabase db;

    @InjectSimulator
    MarketSimulator simulator;

    QueueFixtures queue;

    @BeforeEach
    void freshState() {
        db.execute("TRUNCATE job_runs, ohlc_bars, provider_gate, rate_limits CASCADE");
        simulator.faults(SimulatorFaults.NONE);
        queue = new QueueFixtures(db);
    }

    @AfterEach
    void faultsOff() {
        simulator.faults(SimulatorFaults.NONE);
    }

    @Test
    void anOutageOpensTheGateAfterThreeFailuresThenRunsGoBackUnchargedWithoutCallingTheProvider() {
        simulator.faults(SimulatorFaults.NONE.withOutage(503));
        for (String symbol : new String[] {"AAPL", "MSFT"}) {
            JsonPath answer = fetch(week(symbol));
            assertThat(answer.getString("status")).isEqualTo("retry");
            assertThat(answer.getString("error_code")).isEqualTo("PROVIDER_UNAVAILABLE");
            assertThat(answer.getInt("api_calls")).as("each page retried").isEqualTo(ATTEMPTS_PER_PAGE);
            assertThat(run(symbol))
                    .as("gate still closed: the provider might serve others, the attempt counts")
                    .containsEntry("status", "queued")
                    .containsEntry("attempt", 1);
        }
        assertThat(gate()).containsEntry("state", "closed").containsEntry("consecutive_failures", 2);

        JsonPath third = fetch(week("NVDA"));
        assertThat(third.getString("status")).isEqualTo("retry");
        assertThat(gate()).containsEntry("state", "open").containsEntry("reason", "PROVIDER_UNAVAILABLE");
        assertThat(run("NVDA"))
                .as("the failure that opened the gate is the provider's")
                .containsEntry("attempt", 0)
                .containsEntry("status", "queued");

        long before = simulator.barRequests();
        JsonPath fourth = fetch(week("AMZN"));
        assertThat(fourth.getString("status")).isEqualTo("retry");
        assertThat(fourth.getInt("api_calls")).isZero();
        assertThat(simulator.barRequests())
                .as("no provider call while the gate is open")
                .isEqualTo(before);
        assertThat(run("AMZN")).containsEntry("attempt", 0).containsEntry("error_code", "PROVIDER_UNAVAILABLE");
        assertThat(db.queryLong("""
                SELECT count(*) FROM job_runs r, provider_gate g
                WHERE r.symbol = 'AMZN' AND r.run_after = g.next_probe_at
                """)).as("back when the gate is probed").isEqualTo(1);
    }

    @Test
    void revokedKeysOpenTheGateAtOnceAndFailNoRun() {
        simulator.faults(SimulatorFaults.NONE.withAuthRevoked(true));
        JsonPath answer = fetch(week("AAPL"));
        assertThat(answer.getString("status")).isEqualTo("retry");
        assertThat(answer.getString("error_code")).isEqualTo("PROVIDER_AUTH");
        assertThat(answer.getInt("api_calls"))
                .as("credentials are not retried per page")
                .isEqualTo(1);
        assertThat(gate()).containsEntry("state", "open").containsEntry("reason", "PROVIDER_AUTH");
        assertThat(run("AAPL")).containsEntry("status", "queued").containsEntry("attempt", 0);
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'failed'"))
                .isZero();
    }

    @Test
    void malformedAnswersAreProviderFaultsRetriedPerPageNever500sAndTheRunSucceedsOnceTheyStop() {
        Map<SimulatorFaults, String> faults = Map.of(
                SimulatorFaults.NONE.withTruncatedRate(1), "PROVIDER_MALFORMED",
                SimulatorFaults.NONE.withWrongTypeRate(1), "PROVIDER_MALFORMED",
                SimulatorFaults.NONE.withPageTokenLoopRate(1), "PAGINATION_ERROR");
        faults.forEach((fault, code) -> {
            db.execute("TRUNCATE job_runs, ohlc_bars, provider_gate CASCADE");
            simulator.faults(fault);
            Leased leased = week("AAPL");
            JsonPath answer = fetch(leased); // 200, never a 500
            assertThat(answer.getString("status")).as(fault.toString()).isEqualTo("retry");
            assertThat(answer.getString("error_code")).as(fault.toString()).isEqualTo(code);
            assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();

            simulator.faults(SimulatorFaults.NONE);
            JsonPath again = fetch(queue.reclaim(leased));
            assertThat(again.getString("status")).as(fault.toString()).isEqualTo("success");
            assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = 'AAPL'"))
                    .isEqualTo(simulator
                            .bars("AAPL", Timeframe.m5, WEEK_FROM, WEEK_TO)
                            .size());
        });
    }

    @Test
    void aBarPastTheRequestedWindowIsDroppedAndTheRunSucceedsWithoutChargingTheGate() {
        simulator.faults(SimulatorFaults.NONE.withOutOfRangeRate(1)); // every page: one bar a day past the end
        Leased leased = week("AAPL");
        long before = simulator.barRequests();

        assertThat(fetch(leased).getString("status")).isEqualTo("success");
        long pages = simulator.barRequests() - before;
        assertThat(pages).as("small pages: the week spans several").isGreaterThan(1);
        assertThat(queue.storedBars("AAPL", "m5")).isEqualTo(simulator.bars("AAPL", Timeframe.m5, WEEK_FROM, WEEK_TO));
        assertThat(run("AAPL"))
                .as("a stray bar completes nothing: every page is read, and each page's stray is counted")
                .containsEntry("bars_rejected", (int) pages)
                .containsEntry("attempt", 1);
        assertThat(db.queryLong("SELECT count(*) FROM provider_gate WHERE consecutive_failures > 0 OR state = 'open'"))
                .isZero();
    }

    @Test
    void aRunFailingWhileTheProviderServesOthersSpendsItsAttemptsAndFailsAtTheLast() {
        Leased flaky = week("TSLA");
        for (int attempt = 1; attempt <= 5; attempt++) {
            simulator.faults(SimulatorFaults.NONE.withOutage(502));
            JsonPath answer = fetch(flaky);
            assertThat(answer.getString("error_code")).isEqualTo("PROVIDER_UNAVAILABLE");
            assertThat(answer.getString("status")).isEqualTo(attempt < 5 ? "retry" : "failed");
            simulator.faults(SimulatorFaults.NONE);
            db.execute("DELETE FROM job_runs WHERE symbol = 'MSFT'");
            assertThat(fetch(week("MSFT")).getString("status"))
                    .as("the provider serves another run")
                    .isEqualTo("success");
            assertThat(gate()).containsEntry("state", "closed");
            if (attempt < 5) {
                flaky = queue.reclaim(flaky);
            }
        }
        assertThat(run("TSLA"))
                .containsEntry("status", "failed")
                .containsEntry("attempt", 5)
                .containsEntry("error_code", "PROVIDER_UNAVAILABLE");
    }

    @Test
    void aSlowMultiPageFetchLongerThanItsLeaseExtendsItAndIsNotReaped() throws Exception {
        simulator.faults(SimulatorFaults.NONE.withLatencySpikes(1, Duration.ofMillis(250)));
        Leased leased = queue.leased("m1", DAY_FROM, DAY_TO, Duration.ofSeconds(2), "AAPL")
                .get(0);
        int pages = pages("AAPL");
        assertThat(pages * 250L).as("the fetch outlasts the 2 s lease").isGreaterThan(4_000);
        ScheduledExecutorService reaper = reaper();
        try {
            JsonPath answer = fetch(leased, "m1", DAY_FROM, DAY_TO);
            assertThat(answer.getString("status")).isEqualTo("success");
            assertThat(answer.getInt("api_calls")).isEqualTo(pages);
        } finally {
            reaper.shutdownNow();
        }
        assertThat(run("AAPL")).containsEntry("status", "success").containsEntry("attempt", 1);
    }

    @Test
    void aFetchWhoseLeaseIsRevokedMidwayStopsCallingTheProvider() throws Exception {
        simulator.faults(SimulatorFaults.NONE.withLatencySpikes(1, Duration.ofMillis(250)));
        Leased leased = queue.leased("m1", DAY_FROM, DAY_TO, Duration.ofMinutes(5), "AAPL")
                .get(0);
        int pages = pages("AAPL");
        long before = simulator.barRequests();
        CompletableFuture<JsonPath> answer = CompletableFuture.supplyAsync(
                () -> FunctionCalls.post("/fetch-bars", leased.fetchBarsRequest("m1", DAY_FROM, DAY_TO))
                        .statusCode(409)
                        .extract()
                        .jsonPath());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (simulator.barRequests() - before < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20); // until the fetch is under way: its second page asked for
        }
        db.execute("UPDATE job_runs SET lease_token = gen_random_uuid() WHERE id = ?", leased.id()); // another holder
        JsonPath result = answer.get(60, TimeUnit.SECONDS);
        assertThat(result.getString("code")).isEqualTo("STALE_LEASE");
        assertThat(result.getString("error")).contains("lease");
        assertThat(simulator.barRequests() - before)
                .as("stopped after the page that found the lease gone")
                .isLessThanOrEqualTo(6)
                .isLessThan(pages);
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
    }

    @Test
    void aDatabaseConnectionTerminatedWhileStoringSpendsNoAttempt() throws Exception {
        // one page (no lease extension): the first statement to wait on the run's row is the storing transaction's
        Leased leased = queue.leased("d1", MONTH_FROM, MONTH_TO, Duration.ofMinutes(5), "AAPL")
                .get(0);
        Leased other = queue.leased("d1", MONTH_FROM, MONTH_TO, Duration.ofMinutes(5), "MSFT")
                .get(0);
        assertThat(fetch(other, "d1", MONTH_FROM, MONTH_TO).getString("status")).isEqualTo("success");
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("SELECT * FROM job_runs WHERE id = '" + leased.id() + "' FOR UPDATE");
            }
            CompletableFuture<JsonPath> answer =
                    CompletableFuture.supplyAsync(() -> fetch(leased, "d1", MONTH_FROM, MONTH_TO), caller);
            int terminated = 0;
            Instant deadline = Instant.now().plusSeconds(20);
            while (terminated == 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
                // from a connection of its own: pg_stat_activity is a snapshot per transaction, and the holder's
                // transaction stays open, so it would keep seeing the activity of its first look
                terminated = (int) db.queryLong("""
                        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock'""");
            }
            assertThat(terminated)
                    .as(
                            "the fetcher's storing transaction waited on the run's row: %s",
                            db.query("SELECT pid, state, wait_event_type, wait_event, query FROM pg_stat_activity "
                                    + "WHERE datname = current_database()"))
                    .isPositive();
            Thread.sleep(300);
            holder.rollback();
            JsonPath result = answer.get(60, TimeUnit.SECONDS);
            assertThat(result.getString("status")).isEqualTo("retry");
            assertThat(result.getString("error_code")).isEqualTo("STORAGE_ERROR");
        } finally {
            caller.shutdownNow();
        }
        assertThat(run("AAPL"))
                .containsEntry("status", "queued")
                .containsEntry("attempt", 0)
                .containsEntry("error_code", "STORAGE_ERROR");
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = 'AAPL'"))
                .as("the transaction rolled back")
                .isZero();
    }

    private static final Instant MONTH_FROM = Instant.parse("2024-03-01T00:00:00Z");
    private static final Instant MONTH_TO = Instant.parse("2024-04-01T00:00:00Z");
    private static final Instant DAY_FROM = Instant.parse("2024-03-05T00:00:00Z");
    private static final Instant DAY_TO = Instant.parse("2024-03-06T00:00:00Z");

    private int pages(String symbol) {
        int bars = simulator.bars(symbol, Timeframe.m1, DAY_FROM, DAY_TO).size();
        return (bars + SmallPagesShortLease.PAGE_LIMIT - 1) / SmallPagesShortLease.PAGE_LIMIT;
    }

    /** What the orchestrator's reaper does to expired leases, every 200 ms. */
    private ScheduledExecutorService reaper() {
        ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor();
        reaper.scheduleAtFixedRate(() -> db.execute("""
                UPDATE job_runs SET status = 'queued', lease_token = NULL, lease_expires_at = NULL,
                                    error_code = 'LEASE_EXPIRED'
                WHERE status = 'running' AND lease_expires_at < now()"""), 0, 200, TimeUnit.MILLISECONDS);
        return reaper;
    }

    private Leased week(String symbol) {
        return queue.leased("m5", WEEK_FROM, WEEK_TO, Duration.ofMinutes(5), symbol)
                .get(0);
    }

    private Map<String, Object> run(String symbol) {
        return db.query("SELECT status, attempt, error_code, bars_rejected FROM job_runs WHERE symbol = ?", symbol)
                .get(0);
    }

    private Map<String, Object> gate() {
        return db.query("SELECT state, reason, consecutive_failures FROM provider_gate WHERE provider = 'alpaca'")
                .get(0);
    }

    private JsonPath fetch(Leased run) {
        return fetch(run, "m5", WEEK_FROM, WEEK_TO);
    }

    private JsonPath fetch(Leased run, String timeframe, Instant from, Instant to) {
        return FunctionCalls.post("/fetch-bars", run.fetchBarsRequest(timeframe, from, to))
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    public static class SmallPagesShortLease implements QuarkusTestProfile {
        static final int PAGE_LIMIT = 40;

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "backfill.alpaca.page-limit", Integer.toString(PAGE_LIMIT), "backfill.queue.lease-duration", "2s");
        }
    }
}
