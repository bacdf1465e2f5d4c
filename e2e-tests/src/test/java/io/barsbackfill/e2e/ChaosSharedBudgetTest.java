package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.cli.stack.Service;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Chaos 6: three fetcher processes (each fed by its own orchestrator) draw on one provider budget of
 * {@value #PER_MINUTE} requests per minute for longer than a minute, with far more work queued than the budget
 * allows. The simulator logs when each request arrived; no 60 s window (sliding, starting at any request)
 * may hold more than R of them, and the budget must be used (the load is not starved). After
 * {@value #LOAD_SECONDS} s the rest is cancelled and the audit runs on what was done.
 */
class ChaosSharedBudgetTest {

    private static final int PER_MINUTE = 60;
    private static final int LOAD_SECONDS = 75;
    private static final List<String> SYMBOLS = SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 40);
    private static final ChaosAudit.Window WINDOW = new ChaosAudit.Window(
            SYMBOLS, Timeframe.h1, Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void threeFetchersNeverSpendMoreThanTheSharedBudget() {
        long t0 = System.nanoTime();
        String token = E2e.token();
        // migrated once up front, as a migration job would: orchestrators starting at once need not race for it
        try (TestDatabase db = TestDatabase.createMigrated();
                TestStack stack = Chaos.stack(ChaosSharedBudgetTest.class, db.libpqUrl(), token)
                        .orchestrators(3)
                        .fetcherInstances(3)
                        // one run per dispatch: every dispatch goes to a fetch-bars instance. Pages of 50 bars and
                        // dispatches sized to one page keep consecutive slices apart (the first slice of a dispatch
                        // is always taken, the next only if both fit) and make several requests per run, so the
                        // load outlasts a minute at this budget
                        .only(Service.ORCHESTRATOR, Service.FETCH_BARS, Service.SIMULATOR)
                        .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_BATCH_SIZE", "1")
                        .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_DISPATCH_PAGES", "1")
                        .env("BACKFILL_ALPACA_PAGE_LIMIT", "50")
                        .env(Service.ORCHESTRATOR, "BACKFILL_FETCH_BARS_BATCH_URL", "http://127.0.0.1:9")
                        .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_MAX_IN_FLIGHT", "6")
                        .env("BACKFILL_RATE_LIMIT_PER_MINUTE", Integer.toString(PER_MINUTE))
                        .env("BACKFILL_QUEUE_LEASE_DURATION", "2m")
                        .env(Service.ORCHESTRATOR, "QUARKUS_FLYWAY_MIGRATE_AT_START", "false")
                        .build()
                        .start()
                        .awaitReady(Chaos.READY);
                MarketSimulator generator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            OrchestratorClient orchestrator = new OrchestratorClient(stack.orchestratorUrl(), token);
            orchestrator.call(WINDOW.enqueue("SHARED_BUDGET"));
            E2e.sleep(Duration.ofSeconds(LOAD_SECONDS));
            ObjectNode cancel = OrchestratorClient.request("cancel");
            cancel.put("definition", "SHARED_BUDGET");
            orchestrator.call(cancel);
            boolean settled = Chaos.awaitSettled(db, WINDOW.runs(), Chaos.SETTLE);

            List<Long> times = Chaos.providerCallTimes(stack);
            long span = times.isEmpty() ? 0 : times.get(times.size() - 1) - times.get(0);
            int maxIn60s = maxInWindow(times, 60_000);
            ChaosAudit audit = ChaosAudit.of(db, generator, List.of(WINDOW), Set.of());
            long cancelled = db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'cancelled'");
            Chaos.report(
                    "6 three fetchers, one budget of " + PER_MINUTE + "/min",
                    audit,
                    0,
                    "-",
                    Duration.ofNanos(System.nanoTime() - t0),
                    times.size() + " provider calls over " + span / 1000
                            + " s, at most " + maxIn60s + " in any 60 s window (bound " + PER_MINUTE + "), "
                            + cancelled + " runs cancelled at the end");

            assertThat(settled).as("settled: %s", audit).isTrue();
            assertThat(span).as("the load lasted longer than a minute").isGreaterThan(60_000);
            assertThat(maxIn60s).as("requests in any 60 s window").isLessThanOrEqualTo(PER_MINUTE);
            assertThat(times.size())
                    .as("the budget was used over the %d ms of load, not starved", span)
                    .isGreaterThanOrEqualTo((int) (PER_MINUTE * span / 60_000.0 * 0.8));
            assertThat(audit.stuckRuns()).isZero();
            assertThat(audit.failedForGood())
                    .as("failures: %s", audit.failuresByCode())
                    .isZero();
            assertThat(audit.lostRuns()).isZero();
            assertThat(audit.duplicateBars()).isZero();
            assertThat(audit.valueMismatches()).isEmpty();
            assertThat(audit.barsStored()).isEqualTo(audit.barsServed());
        }
    }

    /** The most arrivals within any window of {@code windowMs} that starts at an arrival. */
    static int maxInWindow(List<Long> times, long windowMs) {
        int max = 0;
        int end = 0;
        for (int start = 0; start < times.size(); start++) {
            while (end < times.size() && times.get(end) < times.get(start) + windowMs) {
                end++;
            }
            max = Math.max(max, end - start);
        }
        return max;
    }
}
