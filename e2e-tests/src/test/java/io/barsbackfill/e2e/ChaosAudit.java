package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.orchestrator.api.OrchestratorRequest;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The end-of-scenario audit every chaos scenario ends with: every run terminal, {@code failed} only for the
 * run's own reason, the bars stored equal to the bars the (deterministic) simulator serves, no duplicate,
 * nothing left {@code running}, and the run counters {@code status} reads equal to the runs ({@code recount}).
 *
 * @param runs             runs in the queue
 * @param expectedRuns     runs the enqueued windows ask for (symbols x grid slices)
 * @param lostRuns         expected runs missing from the queue, or {@code success} without exactly the served bars
 * @param successWithBarsMissing runs {@code success} that store fewer bars than the simulator serves for their
 *                         symbol and slice (the quiet failure: a 200 that left data out)
 * @param duplicateBars    bars stored more than once for one (symbol, timeframe, provider, ts), plus bars nobody
 *                         asked for
 * @param stuckRuns        runs still {@code queued} or {@code running} at the end
 * @param failedForGood    runs ended {@code failed}
 * @param failuresByCode   those failures by error code
 * @param foreignFailures  failures whose code is not one of the run's own reasons allowed by the scenario
 * @param barsStored       rows in {@code ohlc_bars}
 * @param barsServed       bars the simulator serves for the runs that succeeded
 * @param valueMismatches  first differences between stored and served bar values (empty when equal)
 * @param counterDrift     run counters that differed from {@code count(*)} over the runs, by the orchestrator's
 *                         {@code recount} at the end of the scenario (which also repairs them)
 */
record ChaosAudit(
        long runs,
        long expectedRuns,
        long lostRuns,
        long successWithBarsMissing,
        long duplicateBars,
        long stuckRuns,
        long failedForGood,
        Map<String, Long> failuresByCode,
        long foreignFailures,
        long barsStored,
        long barsServed,
        List<String> valueMismatches,
        long counterDrift) {

    /**
     * A backfill the scenario enqueued: these tickers, this timeframe, this window, in {@code provider}'s default
     * series (Alpaca's {@code iex}, Massive's {@code sip}; both raw), whose bars are the simulator's raw bars.
     */
    record Window(List<String> symbols, Timeframe timeframe, Instant from, Instant to, String provider) {

        /** Alpaca's default series. */
        Window(List<String> symbols, Timeframe timeframe, Instant from, Instant to) {
            this(symbols, timeframe, from, to, "alpaca");
        }

        long runs() {
            return (long) symbols.size() * Slice.covering(timeframe, from, to).size();
        }

        /** The {@code enqueue} request of a definition named {@code name} covering this window. */
        OrchestratorRequest enqueue(String name) {
            return OrchestratorRequest.builder("enqueue")
                    .name(name)
                    .symbols(symbols)
                    .timeframe(timeframe.name())
                    .from(from.toString())
                    .to(to.toString())
                    .provider(provider)
                    .build();
        }
    }

    /**
     * Reads the queue and the bars of {@code db} and compares them with what {@code generator} serves; asks
     * {@code orchestrator} to {@code recount} its run counters.
     */
    static ChaosAudit of(
            TestDatabase db,
            OrchestratorClient orchestrator,
            MarketSimulator generator,
            List<Window> windows,
            Set<String> ownReasons) {
        long runs = db.queryLong("SELECT count(*) FROM job_runs");
        long stuck = E2e.unfinished(db);
        Map<String, Long> failures = new TreeMap<>();
        for (Map<String, Object> row : db.query("SELECT coalesce(error_code, '?') AS code, count(*) AS n FROM job_runs "
                + "WHERE status = 'failed' GROUP BY 1")) {
            failures.put((String) row.get("code"), (Long) row.get("n"));
        }
        long failed = failures.values().stream().mapToLong(Long::longValue).sum();
        long foreign = failures.entrySet().stream()
                .filter(e -> !ownReasons.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();

        Map<String, Map<String, Object>> present = new HashMap<>();
        for (Map<String, Object> row : db.query("""
                SELECT r.symbol, r.timeframe, r.provider, r.slice_from, r.status,
                       (SELECT count(*) FROM ohlc_bars b WHERE b.symbol = r.symbol AND b.timeframe = r.timeframe
                          AND b.provider = r.provider AND b.feed = r.feed AND b.adjustment = r.adjustment
                          AND b.ts >= r.slice_from AND b.ts < r.slice_to) AS stored
                FROM job_runs r""")) {
            present.put(
                    key(
                            (String) row.get("symbol"),
                            (String) row.get("timeframe"),
                            (String) row.get("provider"),
                            (Instant) row.get("slice_from")),
                    row);
        }
        long expected = 0;
        long lost = 0;
        long missing = 0;
        long served = 0;
        List<String> mismatches = new ArrayList<>();
        for (Window w : windows) {
            List<Slice> slices = Slice.covering(w.timeframe(), w.from(), w.to());
            for (String symbol : w.symbols()) {
                for (Slice slice : slices) {
                    expected++;
                    long servedHere = generator
                            .bars(symbol, w.timeframe(), slice.from(), slice.to())
                            .size();
                    Map<String, Object> run =
                            present.get(key(symbol, w.timeframe().name(), w.provider(), slice.from()));
                    boolean success = run != null && "success".equals(run.get("status"));
                    if (success) {
                        served += servedHere;
                    }
                    if (run == null || (success && (Long) run.get("stored") != servedHere)) {
                        lost++;
                    }
                    if (success && (Long) run.get("stored") < servedHere) {
                        missing++;
                    }
                }
                if (mismatches.size() < 5
                        && db.queryLong(
                                        "SELECT count(*) FROM job_runs WHERE symbol = ? AND provider = ? "
                                                + "AND status <> 'success'",
                                        symbol,
                                        w.provider())
                                == 0) {
                    mismatches.addAll(E2e.compareBars(
                            db,
                            generator,
                            symbol,
                            w.timeframe(),
                            slices.get(0).from(),
                            slices.get(slices.size() - 1).to(),
                            w.provider()));
                }
            }
        }
        long stored = db.queryLong("SELECT count(*) FROM ohlc_bars");
        long distinct = oneSeriesPerTicker(db)
                ? stored
                : db.queryLong(
                        "SELECT count(*) FROM (SELECT DISTINCT symbol, timeframe, provider, ts FROM ohlc_bars) d");
        long duplicates = (stored - distinct) + Math.max(0, distinct - served);
        return new ChaosAudit(
                runs,
                expected,
                lost,
                missing,
                duplicates,
                stuck,
                failed,
                failures,
                foreign,
                stored,
                served,
                List.copyOf(mismatches),
                orchestrator
                        .call(OrchestratorClient.request("recount"))
                        .path("drift")
                        .asLong(-1));
    }

    private static String key(String symbol, String timeframe, String provider, Instant sliceFrom) {
        return symbol + "|" + timeframe + "|" + provider + "|" + sliceFrom;
    }

    /** The audit's promise: nothing lost, nothing twice, nothing stuck, no failure that is not the run's own. */
    ChaosAudit assertClean() {
        assertThat(stuckRuns).as("runs left queued or running: %s", this).isZero();
        assertThat(foreignFailures)
                .as("runs failed for a reason not their own: %s", failuresByCode)
                .isZero();
        assertThat(successWithBarsMissing)
                .as("runs success with bars missing: %s", this)
                .isZero();
        assertThat(lostRuns).as("runs lost: %s", this).isZero();
        assertThat(runs).as("runs in the queue").isEqualTo(expectedRuns);
        assertThat(duplicateBars).as("duplicate or unasked-for bars: %s", this).isZero();
        assertThat(valueMismatches).as("stored vs served").isEmpty();
        assertThat(barsStored).as("bars stored = bars served").isEqualTo(barsServed);
        assertThat(counterDrift).as("counter drift (recount): %s", this).isZero();
        return this;
    }

    /**
     * Whether every (symbol, timeframe, provider) has bars of one series only: then the primary key, which holds
     * the series, makes (symbol, timeframe, provider, ts) unique, and the audit need not sort millions of bars to
     * count duplicates (the soak stores about six million). Streams the primary key in its order. Two providers'
     * series of one ticker are two series by design, not duplicates; two feeds or adjustments of one provider
     * would be the same bars stored twice.
     */
    private static boolean oneSeriesPerTicker(TestDatabase db) {
        String tickersWithTwoSeries = """
                SELECT count(*) FROM (
                    SELECT 1 FROM ohlc_bars GROUP BY symbol, timeframe, provider
                    HAVING min(feed || '/' || adjustment) <> max(feed || '/' || adjustment)) s""";
        return db.queryLong(tickersWithTwoSeries) == 0;
    }
}
