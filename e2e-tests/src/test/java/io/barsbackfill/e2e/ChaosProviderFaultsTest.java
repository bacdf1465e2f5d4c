package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.stack.Service;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Chaos 2, 3 and 4: the provider misbehaves while a backfill runs unattended, with the short retry settings
 * under which the original failed 162 of 246 runs (backoff 1 s..3 s, 5 attempts). One deployment (the
 * simulator requires keys), three scenarios in turn, each on a backfill of its own and each ending with the
 * audit over everything stored so far: no run fails for the provider's fault, and the bars are exactly the
 * served ones.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosProviderFaultsTest {

    private static final String KEY_ID = "chaos-key-" + E2e.token().substring(0, 8);
    private static final String SECRET = E2e.token();
    /** Longer than a run's whole retry budget at these settings (about 10 s of backoff over 5 attempts). */
    private static final Duration OUTAGE = Duration.ofSeconds(40);

    private static final Duration REVOKED = Duration.ofSeconds(25);
    /**
     * Dispatches in flight (BACKFILL_ORCHESTRATOR_MAX_IN_FLIGHT) times attempts per page
     * (BACKFILL_ALPACA_MAX_ATTEMPTS).
     */
    private static final int IN_FLIGHT_CALLS = 5 * 4;
    /**
     * Probes the gate may send in {@code d} at its default schedule: the first 5 s after it opened, then
     * doubling (5, 15, 35, 75 s ...), plus one for a probe racing the fault's end.
     */
    private static int probesWithin(Duration d) {
        int probes = 1;
        for (long at = 5, step = 5; at <= d.toSeconds(); step *= 2, at += step) {
            probes++;
        }
        return probes;
    }

    private static final List<ChaosAudit.Window> windows = new ArrayList<>();
    private static TestDatabase db;
    private static TestStack stack;
    private static MarketSimulator generator;
    private static OrchestratorClient orchestrator;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        String token = E2e.token();
        stack = Chaos.stack(ChaosProviderFaultsTest.class, db.libpqUrl(), token)
                .env(Service.SIMULATOR, "SIMULATOR_KEY_ID", KEY_ID)
                .env(Service.SIMULATOR, "SIMULATOR_SECRET_KEY", SECRET)
                .env(Service.SIMULATOR, "SIMULATOR_LATENCY_MS", "100")
                .env("BACKFILL_ALPACA_KEY_ID", KEY_ID)
                .env("BACKFILL_ALPACA_SECRET_KEY", SECRET)
                .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_BATCH_SIZE", "2")
                // a latency spike of the storm outlasts the client's timeouts
                .env("BACKFILL_ALPACA_READ_TIMEOUT", "2s")
                .env("BACKFILL_ALPACA_REQUEST_DEADLINE", "3s")
                .build()
                .start()
                .awaitReady(Chaos.READY);
        generator = MarketSimulator.start(0, SimulatorSettings.defaults());
        orchestrator = new OrchestratorClient(stack.orchestratorUrl(), token);
    }

    @AfterAll
    static void stop() {
        E2e.close(generator, stack, db);
    }

    @Test
    @Order(1)
    void anOutageLongerThanTheRetryBudgetFailsNoRun() {
        long t0 = System.nanoTime();
        awaitProgress(enqueue("OUTAGE", SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 20)));
        long during = providerCallsWhile("{\"outage_status\":503}", OUTAGE, () -> {}, "{\"outage_status\":0}");

        ChaosAudit audit = settleReportAudit(
                "2 provider outage (503 for " + OUTAGE.toSeconds() + " s)",
                Long.toString(during),
                t0,
                "backoff 1-3 s, 5 attempts");
        assertThat(audit.failedForGood()).as("runs failed after the outage").isZero();
        assertThat(during)
                .as(
                        "provider calls during a %s s outage: the runs in flight finishing their page retries, "
                                + "then only the gate's probes",
                        OUTAGE.toSeconds())
                .isLessThanOrEqualTo(IN_FLIGHT_CALLS + probesWithin(OUTAGE));
    }

    @Test
    @Order(2)
    void revokedKeysFailNoRunAndWorkResumesWhenTheyAreBack() {
        long t0 = System.nanoTime();
        awaitProgress(enqueue("KEYS_REVOKED", SimulatorSettings.DEFAULT_UNIVERSE.subList(20, 40)));
        StringBuilder statusWhileRevoked = new StringBuilder();
        long during = providerCallsWhile(
                "{\"auth_revoked\":true}",
                REVOKED,
                () -> statusWhileRevoked.append(orchestrator.status()),
                "{\"auth_revoked\":false}");

        ChaosAudit audit = settleReportAudit(
                "3 keys revoked " + REVOKED.toSeconds() + " s, then restored",
                Long.toString(during),
                t0,
                "no retry_failed run by anyone");
        assertThat(audit.failuresByCode())
                .as("no run fails because of bad keys")
                .doesNotContainKey("PROVIDER_AUTH");
        assertThat(statusWhileRevoked.toString())
                .as("status names the reason while the keys are revoked")
                .contains("PROVIDER_AUTH");
        assertThat(during)
                .as("provider calls while the keys were revoked: one per dispatch in flight (401 is not "
                        + "retried), then the probes")
                .isLessThanOrEqualTo(5 + probesWithin(REVOKED));
    }

    @Test
    @Order(3)
    void aStormOf429s5xxSpikesAndTruncatedPagesLosesNothing() {
        long t0 = System.nanoTime();
        enqueue("STORM", SimulatorSettings.DEFAULT_UNIVERSE.subList(40, 50)); // enqueue probes the tickers first
        Chaos.faults(stack, """
                {"too_many_requests_rate":0.3,"retry_after_seconds":1,"server_error_rate":0.2,
                 "latency_spike_rate":0.03,"latency_spike_ms":4000,"truncated_rate":0.05}""");
        try {
            Chaos.awaitSettled(db, expectedRuns(), Chaos.SETTLE);
        } finally {
            Chaos.faults(stack, """
                    {"too_many_requests_rate":0,"server_error_rate":0,"latency_spike_rate":0,"truncated_rate":0}""");
        }
        settleReportAudit(
                "4 storm: 30 % 429 (Retry-After 1 s), 20 % 5xx, 3 % spikes of 4 s (client deadline 3 s), 5 % truncated",
                "-", t0, "faults on until every run ended");
    }

    private static ChaosAudit.Window enqueue(String name, List<String> symbols) {
        ChaosAudit.Window w = new ChaosAudit.Window(
                symbols, Timeframe.h1, Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
        orchestrator.call(w.enqueue(name));
        windows.add(w);
        return w;
    }

    private static long expectedRuns() {
        return windows.stream().mapToLong(ChaosAudit.Window::runs).sum();
    }

    /** Until a fifth of the new window's runs succeeded: the fault then hits a backfill in full swing. */
    private static void awaitProgress(ChaosAudit.Window w) {
        long target = expectedRuns() - w.runs() + w.runs() / 5;
        E2e.awaitUntil(
                Duration.ofSeconds(90),
                Duration.ofMillis(200),
                () -> "no progress before the fault",
                () -> db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'success'") >= target);
    }

    /**
     * Turns the provider fault {@code on} for {@code d}, runs {@code atTheEnd} while it is still on, turns it
     * {@code off}; answers the provider calls made meanwhile.
     */
    private static long providerCallsWhile(String on, Duration d, Runnable atTheEnd, String off) {
        long before = Chaos.providerCalls(stack);
        Chaos.faults(stack, on);
        E2e.sleep(d);
        atTheEnd.run();
        long during = Chaos.providerCalls(stack) - before;
        Chaos.faults(stack, off);
        return during;
    }

    private static ChaosAudit settleReportAudit(String scenario, String outageCalls, long t0, String notes) {
        boolean settled = Chaos.awaitSettled(db, expectedRuns(), Chaos.SETTLE);
        ChaosAudit audit = ChaosAudit.of(db, generator, windows, Set.of());
        Chaos.report(scenario, audit, 0, outageCalls, Duration.ofNanos(System.nanoTime() - t0), notes);
        assertThat(settled).as("settled: %s", audit).isTrue();
        return audit.assertClean();
    }
}
