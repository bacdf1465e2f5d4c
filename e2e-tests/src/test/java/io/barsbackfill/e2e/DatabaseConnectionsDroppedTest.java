package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.orchestrator.api.StatusReport.RunCounts;
import io.barsbackfill.orchestrator.api.TickResult;
import io.barsbackfill.simulator.SimulatorSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the functions see when PostgreSQL restarts: every connection of theirs is terminated, again and again,
 * while a backfill runs. Ticks and fetches fail meanwhile; afterwards the pools reconnect, every run ends
 * {@code success} and the stored bars are exactly the ones served (nothing lost, nothing twice).
 */
class DatabaseConnectionsDroppedTest {

    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "NVDA", "AMZN", "META", "TSLA", "SPY", "QQQ");
    private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2025-07-01T00:00:00Z");

    @RegisterExtension
    static final E2eStack e2e = new E2eStack()
            .simulator(SimulatorSettings.defaults().withLatency(Duration.ofMillis(150)))
            .configure(stack -> stack.env("BACKFILL_QUEUE_LEASE_DURATION", "10s")
                    .env("BACKFILL_QUEUE_BACKOFF_BASE", "1s")
                    .env("BACKFILL_QUEUE_BACKOFF_MAX", "2s")
                    .env("BACKFILL_QUEUE_MAX_ATTEMPTS", "10")
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_BATCH_SIZE", "2")
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_TICK_BUDGET", "2s"));

    @Test
    void aBackfillSurvivesEveryDatabaseConnectionBeingDropped() throws Exception {
        e2e.orchestrator()
                .call(OrchestratorClient.enqueueRequest(
                        "DROPPED_CONNECTIONS", SYMBOLS, "h1", FROM.toString(), TO.toString(), null));

        AtomicBoolean chaos = new AtomicBoolean(true);
        AtomicInteger terminated = new AtomicInteger();
        Thread killer = new Thread(
                () -> {
                    while (chaos.get()) {
                        terminated.addAndGet((int) e2e.db().queryLong("""
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
                    TickResult tick = e2e.orchestrator().tick();
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

        E2e.tickUntilDone(e2e.orchestrator(), e2e.db(), Duration.ofSeconds(90));

        assertThat(e2e.db().queryLong("SELECT count(*) FROM job_runs WHERE status <> 'success'"))
                .isZero();
        assertThat(e2e.db().queryLong("SELECT count(*) FROM job_runs")).isEqualTo(SYMBOLS.size() * 6L);
        for (String symbol : SYMBOLS) {
            assertThat(E2e.compareBars(e2e.db(), e2e.simulator(), symbol, Timeframe.h1, FROM, TO))
                    .as(symbol)
                    .isEmpty();
        }
        RunCounts runs = e2e.orchestrator().status().runs();
        assertThat(runs.success()).isEqualTo(SYMBOLS.size() * 6L);
        assertThat(runs.running() + runs.queued() + runs.failed()).isZero();
    }
}
