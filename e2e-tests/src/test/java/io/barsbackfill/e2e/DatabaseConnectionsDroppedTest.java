package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.stack.Service;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.orchestrator.api.StatusReport.RunCounts;
import io.barsbackfill.orchestrator.api.TickResult;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the functions see when PostgreSQL restarts: every connection of theirs is terminated, again and again,
 * while a backfill runs. Ticks and fetches fail meanwhile; afterwards the pools reconnect, every run ends
 * {@code success} and the stored bars are exactly the ones served (nothing lost, nothing twice).
 */
class DatabaseConnectionsDroppedTest {

    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "NVDA", "AMZN", "META", "TSLA", "SPY", "QQQ");
    private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2025-07-01T00:00:00Z");

    private static TestDatabase db;
    private static MarketSimulator simulator;
    private static TestStack stack;
    private static OrchestratorClient orchestrator;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        simulator = MarketSimulator.start(0, SimulatorSettings.defaults().withLatency(Duration.ofMillis(150)));
        String token = E2e.token();
        stack = E2e.stack(DatabaseConnectionsDroppedTest.class, db, simulator.baseUrl(), token)
                .env("BACKFILL_QUEUE_LEASE_DURATION", "10s")
                .env("BACKFILL_QUEUE_BACKOFF_BASE", "1s")
                .env("BACKFILL_QUEUE_BACKOFF_MAX", "2s")
                .env("BACKFILL_QUEUE_MAX_ATTEMPTS", "10")
                .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_BATCH_SIZE", "2")
                .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_TICK_BUDGET", "2s")
                .build()
                .start()
                .awaitReady(E2e.READY);
        orchestrator = new OrchestratorClient(stack.orchestratorUrl(), token);
    }

    @AfterAll
    static void stop() {
        E2e.close(stack, simulator, db);
    }

    @Test
    void aBackfillSurvivesEveryDatabaseConnectionBeingDropped() throws Exception {
        orchestrator.call(OrchestratorClient.enqueueRequest(
                "DROPPED_CONNECTIONS", SYMBOLS, "h1", FROM.toString(), TO.toString(), null));

        AtomicBoolean chaos = new AtomicBoolean(true);
        AtomicInteger terminated = new AtomicInteger();
        Thread killer = new Thread(
                () -> {
                    while (chaos.get()) {
                        terminated.addAndGet((int) db.queryLong("""
                        SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                              WHERE datname = current_database() AND pid <> pg_backend_pid()) t"""));
                        E2e.sleep(Duration.ofMillis(400));
                    }
                },
                "connection-killer");
        killer.start();
        List<String> failedTicks = new ArrayList<>();
        long chaosEnds = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        try {
            while (System.nanoTime() < chaosEnds) {
                try {
                    TickResult tick = orchestrator.tick();
                    failedTicks.addAll(tick.errors());
                } catch (RuntimeException e) {
                    failedTicks.add(e.getMessage());
                }
                E2e.sleep(Duration.ofMillis(200));
            }
        } finally {
            chaos.set(false);
            killer.join();
        }
        System.out.printf(
                "dropped connections: %d backends terminated; %d tick errors meanwhile%n",
                terminated.get(), failedTicks.size());
        assertThat(terminated.get()).as("connections were really dropped").isPositive();

        E2e.tickUntilDone(orchestrator, db, Duration.ofSeconds(90));

        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status <> 'success'"))
                .isZero();
        assertThat(db.queryLong("SELECT count(*) FROM job_runs")).isEqualTo(SYMBOLS.size() * 6L);
        for (String symbol : SYMBOLS) {
            assertThat(E2e.compareBars(db, simulator, symbol, Timeframe.h1, FROM, TO))
                    .as(symbol)
                    .isEmpty();
        }
        RunCounts runs = orchestrator.status().runs();
        assertThat(runs.success()).isEqualTo(SYMBOLS.size() * 6L);
        assertThat(runs.running() + runs.queued() + runs.failed()).isZero();
    }
}
