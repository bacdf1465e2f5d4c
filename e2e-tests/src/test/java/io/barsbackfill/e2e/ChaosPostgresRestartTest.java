package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.localstack.process.ManagedProcess;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Chaos 1: PostgreSQL itself really restarted mid-backfill, twice: {@code pg_ctl stop -m fast} (sessions
 * ended cleanly) and {@code -m immediate} (a crash: recovery from WAL at the next start). The cluster is the
 * test's own, on its own port. The functions are never restarted: their pools reconnect, the orchestrators'
 * schedules go on ticking, and the audit finds every run done exactly once.
 */
class ChaosPostgresRestartTest {

    private static final List<String> SYMBOLS = SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 24);
    private static final ChaosAudit.Window WINDOW = new ChaosAudit.Window(
            SYMBOLS, Timeframe.h1, Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void theFunctionsRecoverFromRealDatabaseRestartsWithoutBeingRestarted() {
        long t0 = System.nanoTime();
        String token = E2e.token();
        try (PrivatePostgres pg = PrivatePostgres.start();
                TestDatabase db = TestDatabase.create(pg.adminUrl());
                TestStack stack = Chaos.stack(ChaosPostgresRestartTest.class, db.libpqUrl(), token)
                        .env(Service.SIMULATOR, "SIMULATOR_LATENCY_MS", "250")
                        .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_BATCH_SIZE", "2")
                        .build()
                        .start()
                        .awaitReady(Chaos.READY);
                MarketSimulator generator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            System.out.println("chaos: " + pg);
            Map<String, Long> pids = pids(stack);
            new OrchestratorClient(stack.orchestratorUrl(), token).call(WINDOW.enqueue("PG_RESTART"));
            long runs = WINDOW.runs();

            awaitSucceeded(db, runs / 5);
            pg.stop("fast");
            System.out.printf("chaos: PostgreSQL stopped (fast) at %s%n", Instant.now());
            E2e.sleep(Duration.ofSeconds(4));
            pg.startAgain();
            long afterFast = awaitSucceeded(db, runs / 2);

            pg.stop("immediate");
            System.out.printf(
                    "chaos: PostgreSQL stopped (immediate) at %s with %d runs done%n", Instant.now(), afterFast);
            E2e.sleep(Duration.ofSeconds(4));
            pg.startAgain();

            boolean settled = Chaos.awaitSettled(db, runs, Chaos.SETTLE);
            ChaosAudit audit = ChaosAudit.of(
                    db, new OrchestratorClient(stack.orchestratorUrl(), token), generator, List.of(WINDOW), Set.of());
            Chaos.report(
                    "1 PostgreSQL restarted (fast, immediate)",
                    audit,
                    0,
                    "-",
                    Duration.ofNanos(System.nanoTime() - t0),
                    "2 restarts, functions not restarted");
            assertThat(settled)
                    .as("the backfill settled after the restarts: %s", audit)
                    .isTrue();
            audit.assertClean();
            assertThat(pids(stack)).as("no function was restarted").isEqualTo(pids);
            assertThat(stack.processes()).allMatch(ManagedProcess::isAlive);
            assertThat(new OrchestratorClient(stack.orchestratorUrl(), token)
                            .status()
                            .runs()
                            .success())
                    .isEqualTo(runs);
        }
    }

    private static Map<String, Long> pids(TestStack stack) {
        return stack.processes().stream().collect(Collectors.toMap(ManagedProcess::name, ManagedProcess::pid));
    }

    /** Waits until at least {@code n} runs succeeded (the database may be coming back meanwhile). */
    private static long awaitSucceeded(TestDatabase db, long n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                long done = db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'success'");
                if (done >= n) {
                    return done;
                }
            } catch (IllegalStateException e) {
                // the database is still recovering
            }
            E2e.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("fewer than " + n + " runs succeeded within 90 s");
    }
}
