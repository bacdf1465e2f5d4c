package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.orchestrator.api.OrchestratorRequest;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.TestDatabase;
import io.barsbackfill.teststack.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Chaos 6: three fetcher processes (each fed by its own orchestrator) draw on one provider budget of
 * {@value #PER_MINUTE} requests per minute for longer than a minute, with far more work queued than the budget
 * allows. The simulator logs when each request arrived; no 60 s window (sliding, starting at any request)
 * may hold more than R of them. A trigger the test installs on {@code rate_limits} logs every take of the budget
 * (granted or refused, at the database's clock): grants lie a slot apart, no request reached the provider without
 * one, and no taker was refused once its slot had come (the budget is not starved). After {@value #LOAD_SECONDS} s
 * the rest is cancelled and the audit runs on what was done.
 */
class ChaosSharedBudgetTest {

    private static final int PER_MINUTE = 60;
    /**
     * The budget's slot: it holds one token and refills one per minute and 3 s of arrival slack over R
     * (RateLimitRepository.WINDOW_SECONDS / R), so consecutive grants lie at least this far apart.
     */
    private static final Duration ARRIVAL_SLACK = Duration.ofSeconds(3);

    private static final Duration SLOT =
            Duration.ofMinutes(1).plus(ARRIVAL_SLACK).dividedBy(PER_MINUTE);
    private static final int LOAD_SECONDS = 75;
    private static final int SLOW_PER_MINUTE = 10;
    /** About 310 h1 bars a ticker a month in the simulator: 3 pages each. */
    private static final int SLOW_PAGE_LIMIT = 120;

    private static final List<String> SYMBOLS = SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 40);
    private static final ChaosAudit.Window WINDOW = new ChaosAudit.Window(
            SYMBOLS, Timeframe.h1, Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));

    /**
     * Installed before the functions start; not part of the schema. A take is one UPDATE of the bucket: granted
     * when it leaves the bucket empty (a refused take leaves what refilled since the last take, more than nothing
     * once any time passed); a 429's block (which moves {@code blocked_until}) is no take.
     */
    private static final String BUDGET_LOG = """
            CREATE TABLE chaos_budget_log (
                n       bigserial PRIMARY KEY,
                granted boolean NOT NULL,
                at      timestamptz NOT NULL);
            CREATE FUNCTION chaos_log_take() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.blocked_until IS NOT DISTINCT FROM OLD.blocked_until
                        AND NEW.refilled_at > OLD.refilled_at THEN
                    INSERT INTO chaos_budget_log (granted, at)
                    VALUES (NEW.tokens = 0 AND coalesce(NEW.blocked_until <= NEW.refilled_at, true), NEW.refilled_at);
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER chaos_budget_log AFTER UPDATE ON rate_limits FOR EACH ROW EXECUTE FUNCTION chaos_log_take();
            """;

    @Test
    void threeFetchersNeverSpendMoreThanTheSharedBudget() {
        long t0 = System.nanoTime();
        String token = E2e.token();
        // migrated once up front, as a migration job would: orchestrators starting at once need not race for it
        try (TestDatabase db = migratedWithBudgetLog();
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
            orchestrator.call(OrchestratorRequest.builder("cancel")
                    .definition("SHARED_BUDGET")
                    .build());
            boolean settled = Chaos.awaitSettled(db, WINDOW.runs(), Chaos.SETTLE);

            List<Long> times = Chaos.providerCallTimes(stack);
            long span = times.isEmpty() ? 0 : times.get(times.size() - 1) - times.get(0);
            int maxIn60s = maxInWindow(times, 60_000);
            List<Map<String, Object>> takes = db.query("SELECT granted, at FROM chaos_budget_log ORDER BY n");
            List<Instant> grants = takes.stream()
                    .filter(t -> (Boolean) t.get("granted"))
                    .map(t -> (Instant) t.get("at"))
                    .toList();
            Delays delays = Delays.of(grants, times);
            // arrivals in a 60 s window came from grants in that window widened by the spread of the delays
            int arrivalBound =
                    maxInWindow(grants.stream().map(Instant::toEpochMilli).toList(), 60_000 + delays.spreadMs() + 1);
            ChaosAudit audit = ChaosAudit.of(db, orchestrator, generator, List.of(WINDOW), Set.of());
            long cancelled = db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'cancelled'");
            Chaos.report(
                    "6 three fetchers, one budget of " + PER_MINUTE + "/min",
                    audit,
                    0,
                    "-",
                    Duration.ofNanos(System.nanoTime() - t0),
                    times.size() + " provider calls over " + span / 1000
                            + " s (" + Math.round(times.size() * 60_000.0 / Math.max(span, 1)) + "/min), at most "
                            + maxIn60s + " in any 60 s window (bound " + Math.min(PER_MINUTE, arrivalBound)
                            + "); " + grants.size() + " grants of " + takes.size() + " takes, grant to arrival "
                            + delays.minMs() + ".." + delays.maxMs() + " ms; " + cancelled
                            + " runs cancelled at the end");

            assertThat(settled).as("settled: %s", audit).isTrue();
            assertThat(span).as("the load lasted longer than a minute").isGreaterThan(60_000);
            assertThat(slotsTooClose(grants))
                    .as("grants closer than the budget's slot of %s ms", SLOT.toMillis())
                    .isEmpty();
            assertThat(delays.withoutGrant())
                    .as("provider requests that arrived before as many grants had been made (no request without one)")
                    .isZero();
            assertThat(refusedAfterTheirSlot(takes))
                    .as("takes refused although their slot had come (the budget starving its takers)")
                    .isEmpty();
            // With grants a slot (63/R s) apart, R + 1 arrivals in 60 s need the grant-to-arrival delays to vary by
            // more than the 3 s of slack the slot holds; the bucket promises no more, so neither does the test.
            if (delays.spreadMs() <= ARRIVAL_SLACK.toMillis()) {
                assertThat(maxIn60s)
                        .as(
                                "requests in any 60 s window (grant-to-arrival delays varied by %d ms, within the "
                                        + "slot's %d s of slack)",
                                delays.spreadMs(), ARRIVAL_SLACK.toSeconds())
                        .isLessThanOrEqualTo(PER_MINUTE);
            } else {
                System.out.printf(
                        "CHAOS note: grant-to-arrival delays varied by %d ms, beyond the slot's %d s of slack: %d "
                                + "requests in the fullest 60 s window (R = %d) not held against R%n",
                        delays.spreadMs(), ARRIVAL_SLACK.toSeconds(), maxIn60s, PER_MINUTE);
            }
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

    /**
     * Issue 17, item 4: settings that look tight are not churn. R = {@value #SLOW_PER_MINUTE} requests a minute,
     * dispatches sized to 10 pages, 5 in flight, the default lease (5 m, and the dispatch timeout with it): five
     * tickers of one month each, one ticker per dispatch, pages of {@value #SLOW_PAGE_LIMIT} bars (3 requests a
     * ticker), so all five dispatches go out at once and queue for one slot ({@code 63/R} = 6.3 s) after another:
     * 16 grants with the enqueue's ticker check, about 95 s, and the last dispatch waits longer than
     * {@code BACKFILL_ALPACA_MAX_RATE_LIMIT_WAIT} (60 s) in all. Every run ends {@code success} on its first
     * attempt, none is released {@code DISPATCH_FAILED}, and a run given back because one wait for the budget
     * ran out gets its attempt back. The orchestrator starts, warning that the worst case (5 dispatches of 10 full
     * pages: 5 x 10 x 6.3 s = 315 s) exceeds the 5 m dispatch timeout; that case is not run here.
     */
    @Test
    void aBudgetOfTenAMinuteForFiveDispatchesInFlightSpendsNoAttempt() {
        long t0 = System.nanoTime();
        String token = E2e.token();
        ChaosAudit.Window window = new ChaosAudit.Window(
                List.of("AAPL", "MSFT", "NVDA", "AMZN", "META"),
                Timeframe.h1,
                Instant.parse("2025-03-01T00:00:00Z"),
                Instant.parse("2025-04-01T00:00:00Z"));
        try (TestDatabase db = TestDatabase.createMigrated();
                TestStack stack = Chaos.stack(ChaosSharedBudgetTest.class, db.libpqUrl(), token)
                        // one run per dispatch: fetch-bars only
                        .only(Service.ORCHESTRATOR, Service.FETCH_BARS, Service.SIMULATOR)
                        .env(Service.ORCHESTRATOR, "BACKFILL_FETCH_BARS_BATCH_URL", "http://127.0.0.1:9")
                        .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_BATCH_SIZE", "1")
                        .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_DISPATCH_PAGES", "10")
                        .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_MAX_IN_FLIGHT", "5")
                        .env("BACKFILL_ALPACA_PAGE_LIMIT", Integer.toString(SLOW_PAGE_LIMIT))
                        .env("BACKFILL_RATE_LIMIT_PER_MINUTE", Integer.toString(SLOW_PER_MINUTE))
                        .env("BACKFILL_QUEUE_LEASE_DURATION", null) // the default, 5 m
                        .env(Service.ORCHESTRATOR, "QUARKUS_FLYWAY_MIGRATE_AT_START", "false")
                        .build()
                        .start()
                        .awaitReady(Chaos.READY);
                MarketSimulator generator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ChaosTimeline.install(db);
            OrchestratorClient orchestrator = new OrchestratorClient(stack.orchestratorUrl(), token);
            long requests = window.symbols().stream()
                    .mapToLong(s -> (generator
                                            .bars(s, Timeframe.h1, window.from(), window.to())
                                            .size()
                                    + SLOW_PAGE_LIMIT
                                    - 1)
                            / SLOW_PAGE_LIMIT)
                    .sum();
            Duration slot = Duration.ofMinutes(1).plus(ARRIVAL_SLACK).dividedBy(SLOW_PER_MINUTE);
            orchestrator.call(window.enqueue("TEN_A_MINUTE"));
            // the budget alone needs a slot per request after the first (the enqueue's ticker check took one)
            boolean settled = Chaos.awaitSettled(
                    db, window.runs(), slot.multipliedBy(requests).plus(Chaos.SETTLE));

            ChaosAudit audit = ChaosAudit.of(db, orchestrator, generator, List.of(window), Set.of());
            // from a run's first claim to its success, given back and claimed again or not
            long longest = db.queryLong("""
                    SELECT max(extract(epoch FROM s.at - c.at))::bigint
                    FROM (SELECT run_id, min(at) AS at FROM chaos_dispatch_log WHERE event = 'claim' GROUP BY 1) c
                    JOIN chaos_dispatch_log s ON s.run_id = c.run_id AND s.event = 'release'
                                             AND s.status = 'success'""");
            List<Map<String, Object>> releases = db.query("SELECT error_code, attempt_before, attempt_after "
                    + "FROM chaos_dispatch_log WHERE event = 'release' AND status <> 'success'");
            long givenBack = releases.stream()
                    .filter(r -> (Integer) r.get("attempt_after") < (Integer) r.get("attempt_before"))
                    .count();
            Chaos.report(
                    "6b one budget of " + SLOW_PER_MINUTE + "/min, 5 dispatches in flight, default lease",
                    audit,
                    0,
                    "-",
                    Duration.ofNanos(System.nanoTime() - t0),
                    Chaos.providerCalls(stack) + " provider calls (" + requests + " pages + the ticker check); "
                            + "longest run from claim to success " + longest + " s; " + givenBack
                            + " runs given back (a budget wait ran out), attempt undone");

            assertThat(settled).as("settled: %s", audit).isTrue();
            assertThat(String.join("\n", stack.process(Service.ORCHESTRATOR).logLines()))
                    .as("started, with a warning that a dispatch of 10 full pages may wait longer than its timeout")
                    .contains("PT5M15S = BACKFILL_ORCHESTRATOR_MAX_IN_FLIGHT 5 x "
                            + "BACKFILL_ORCHESTRATOR_DISPATCH_PAGES 10");
            audit.assertClean();
            assertThat(db.query("SELECT status, attempt, count(*) AS n FROM job_runs GROUP BY 1, 2"))
                    .as("every run success on its first attempt")
                    .containsExactly(Map.of("status", "success", "attempt", 1, "n", window.runs()));
            assertThat(releases)
                    .as("runs released other than by their own success: none DISPATCH_FAILED, none charged")
                    .allSatisfy(r -> {
                        assertThat(r.get("error_code")).isNotEqualTo("DISPATCH_FAILED");
                        assertThat((Integer) r.get("attempt_after")).isLessThan((Integer) r.get("attempt_before"));
                    });
            assertThat(Duration.ofSeconds(longest))
                    .as("a run waited for the budget longer than one wait may last (60 s)")
                    .isGreaterThan(Duration.ofSeconds(60));
        }
    }

    private static TestDatabase migratedWithBudgetLog() {
        TestDatabase db = TestDatabase.createMigrated();
        db.execute(BUDGET_LOG);
        return db;
    }

    /** Consecutive grants closer than the slot (1 ms for rounding of the clock's microseconds). */
    private static List<String> slotsTooClose(List<Instant> grants) {
        List<String> close = new ArrayList<>();
        for (int i = 1; i < grants.size(); i++) {
            Duration gap = Duration.between(grants.get(i - 1), grants.get(i));
            if (gap.plusMillis(1).compareTo(SLOT) < 0) {
                close.add(grants.get(i) + " only " + gap.toMillis() + " ms after the grant before");
            }
        }
        return close;
    }

    /**
     * Refused takes that came a slot or more after the last grant: the bucket had refilled its token by then and
     * must have granted it.
     */
    private static List<String> refusedAfterTheirSlot(List<Map<String, Object>> takes) {
        List<String> refused = new ArrayList<>();
        Instant lastGrant = null;
        for (Map<String, Object> take : takes) {
            Instant at = (Instant) take.get("at");
            if ((Boolean) take.get("granted")) {
                lastGrant = at;
            } else if (lastGrant != null
                    && Duration.between(lastGrant, at).minusMillis(1).compareTo(SLOT) >= 0) {
                refused.add(at + ", " + Duration.between(lastGrant, at).toMillis() + " ms after the last grant");
            }
        }
        return refused;
    }

    /**
     * Grant-to-arrival delays, pairing the k-th request to arrive with the k-th grant (both in time order): every
     * request takes a grant before it goes out, so the k-th arrival comes after the k-th grant, and the arrivals of
     * any window came from the grants of the same window widened by the spread of these delays.
     *
     * @param withoutGrant arrivals earlier than their grant in this pairing: requests that took no grant
     */
    record Delays(long minMs, long maxMs, long withoutGrant) {
        static Delays of(List<Instant> grants, List<Long> arrivalsMs) {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            long without = Math.max(0, arrivalsMs.size() - grants.size());
            for (int k = 0; k < Math.min(grants.size(), arrivalsMs.size()); k++) {
                // the simulator logs whole milliseconds: a request granted in the same millisecond is not early
                long delay = arrivalsMs.get(k) - grants.get(k).toEpochMilli();
                if (delay < 0) {
                    without++;
                }
                min = Math.min(min, delay);
                max = Math.max(max, delay);
            }
            return min > max ? new Delays(0, 0, without) : new Delays(min, max, without);
        }

        long spreadMs() {
            return maxMs - minMs;
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
