package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.localstack.process.ManagedProcess;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A fetcher that hangs (SIGSTOP: the connection stays open, no answer comes) instead of dying. With one
 * orchestrator ticking on its own schedule, its runs must still leave {@code running} when their lease ends.
 * The tick waiting on the hung fetcher gives up when the lease ends (the default dispatch timeout is the lease
 * duration), so no other tick has to reap them.
 */
class HungFetcherTest {

    private static final Duration LEASE = Duration.ofSeconds(4);

    @Test
    void runsOfAHungFetcherLeaveRunningWhenTheirLeaseEnds() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                MarketSimulator simulator =
                        MarketSimulator.start(0, SimulatorSettings.defaults().withLatency(Duration.ofSeconds(3)))) {
            String token = E2e.token();
            try (TestStack stack = E2e.stack(HungFetcherTest.class, db, simulator.baseUrl(), token)
                    .env("BACKFILL_QUEUE_LEASE_DURATION", LEASE.toSeconds() + "s")
                    .env("BACKFILL_QUEUE_BACKOFF_BASE", "1s")
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_SCHEDULE", "1s")
                    .build()
                    .start()
                    .awaitReady(E2e.READY)) {
                new OrchestratorClient(stack.orchestratorUrl(), token)
                        .call(OrchestratorClient.enqueueRequest(
                                "HUNG_FETCHER",
                                List.of("AAPL", "MSFT"),
                                "h1",
                                "2025-01-01T00:00:00Z",
                                "2025-02-01T00:00:00Z",
                                null));
                E2e.awaitUntil(
                        Duration.ofSeconds(60),
                        Duration.ofMillis(50),
                        () -> "no run went running within 60 s",
                        () -> db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'running'") > 0);
                E2e.sleep(Duration.ofMillis(500));
                Instant leaseEnd =
                        (Instant) db.query("SELECT max(lease_expires_at) AS t FROM job_runs WHERE status = 'running'")
                                .get(0)
                                .get("t");
                ManagedProcess fetcher = stack.process(Service.FETCH_BARS_BATCH);
                signal("STOP", fetcher);
                try {
                    Instant deadline = leaseEnd.plusSeconds(3); // the lease, plus a tick or two
                    // until the hung dispatch's runs left running (then there is nothing left to wait for)
                    while (Instant.now().isBefore(deadline)
                            && db.queryLong(
                                            "SELECT count(*) FROM job_runs WHERE status = 'running' "
                                                    + "AND lease_expires_at <= ?",
                                            Timestamp.from(leaseEnd))
                                    > 0) {
                        E2e.sleep(Duration.ofMillis(100));
                    }
                    List<Map<String, Object>> stuck =
                            db.query("SELECT id, status, attempt, lease_expires_at FROM job_runs "
                                    + "WHERE status = 'running' AND lease_expires_at < now() - interval '2 seconds'");
                    assertThat(stuck)
                            .as("runs still running 3 s after their lease ended at %s", leaseEnd)
                            .isEmpty();
                } finally {
                    signal("CONT", fetcher);
                }
            }
        }
    }

    private static void signal(String signal, ManagedProcess p) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
                        .start()
                        .waitFor())
                .isZero();
    }
}
