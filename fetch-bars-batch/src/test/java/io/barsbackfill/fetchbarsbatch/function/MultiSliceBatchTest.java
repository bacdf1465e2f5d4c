package io.barsbackfill.fetchbarsbatch.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.metrics.FetchMetrics;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
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
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One request carrying several consecutive slices of the same symbols ({@code froms}/{@code tos}): one provider
 * request sequence over their union, the bars split per run at the slice boundaries, each run stored and
 * completed in its own fenced transaction as the pages move past it.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class MultiSliceBatchTest {

    static final int PAGE = 10_000;

    @InjectTestDatabase
    TestDatabase db;

    @InjectSimulator
    MarketSimulator simulator;

    @Inject
    FetchMetrics metrics;

    QueueFixtures queue;

    @BeforeEach
    void setUp() {
        queue = new QueueFixtures(db).emptied();
        simulator.resetCounters();
    }

    @Test
    void fourMonthsOfFiftySymbolsInOneRequestSequenceSplitExactlyAtTheSliceBoundaries() {
        List<String> symbols = SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 50);
        List<Run> runs = leasedMonths(symbols, 2024, 1, 4);
        Instant from = month(2024, 1);
        Instant to = month(2024, 5);
        int served = 0;
        for (String s : symbols) {
            served += simulator.bars(s, Timeframe.h1, from, to).size();
        }
        int pages = (served + PAGE - 1) / PAGE;
        long pagesBefore = metrics.pagesHeld();

        post(request(runs, from, to))
                .statusCode(200)
                .body("total_symbols", equalTo(runs.size()))
                .body("total_bars", equalTo(served))
                .body("symbols_processed.size()", equalTo(runs.size()))
                .body("api_calls", equalTo(pages));

        assertThat(simulator.barRequests())
                .as("whole pages: one request sequence for all four slices")
                .isEqualTo(pages);
        long stored = 0;
        Map<Run, List<Bar>> storedPerRun = storedPerRun(runs);
        Map<Object, Map<String, Object>> rows = rows();
        for (Run r : runs) {
            List<Bar> expected = simulator.bars(r.leased().symbol(), Timeframe.h1, r.from(), r.to());
            assertThat(storedPerRun.get(r))
                    .as("%s [%s, %s)", r.leased().symbol(), r.from(), r.to())
                    .isEqualTo(expected);
            Map<String, Object> row = rows.get(r.leased().id());
            assertThat(row.get("status")).isEqualTo("success");
            assertThat(((Number) row.get("rows_written")).intValue()).isEqualTo(expected.size());
            assertThat(((Number) row.get("bars_fetched")).intValue()).isEqualTo(expected.size());
            stored += expected.size();
        }
        assertThat(stored).as("no bar in two runs, none lost").isEqualTo(served);
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isEqualTo(served);
        assertThat(metrics.pagesHeld() - pagesBefore).isEqualTo(pages);
        assertThat(metrics.maxBarsHeld())
                .as("a fetch of %d bars holds one page and one unfinished run's bars at most", served)
                .isLessThanOrEqualTo(PAGE + 400);
    }

    @Test
    void aStaleLeaseOnOneRunOfAMultiSliceRequestStoresNothingForItAndEverythingForTheOthers() {
        List<Run> runs = leasedMonths(List.of("AAPL", "MSFT"), 2024, 1, 3);
        Run stale = runs.stream()
                .filter(r -> r.leased().symbol().equals("MSFT") && r.from().equals(month(2024, 2)))
                .findFirst()
                .orElseThrow();
        Leased newer = queue.reclaim(stale.leased());

        ValidatableResponse answer =
                post(request(runs, month(2024, 1), month(2024, 4))).statusCode(200);

        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            if (r == stale) {
                answer.body("results[" + i + "].status", equalTo("conflict"))
                        .body("results[" + i + "].error_code", equalTo("STALE_LEASE"));
                assertThat(queue.storedBars("MSFT", "h1", r.from(), r.to())).isEmpty();
            } else {
                answer.body("results[" + i + "].status", equalTo("success"));
                assertThat(queue.storedBars(r.leased().symbol(), "h1", r.from(), r.to()))
                        .isEqualTo(simulator.bars(r.leased().symbol(), Timeframe.h1, r.from(), r.to()))
                        .isNotEmpty();
            }
        }
        Map<String, Object> row = db.query(
                        "SELECT status, lease_token FROM job_runs WHERE id = ?",
                        stale.leased().id())
                .get(0);
        assertThat(row).containsEntry("status", "running").containsEntry("lease_token", newer.token());
    }

    @Test
    void anUnknownTickerFailsOnlyItsOwnRunsOfEverySlice() {
        List<Run> runs = leasedMonths(List.of("AAPL", "ZZZZ", "NVDA"), 2024, 1, 2);

        post(request(runs, month(2024, 1), month(2024, 3))).statusCode(200);

        assertThat(db.query("SELECT symbol, status, error_code FROM job_runs ORDER BY symbol, slice_from"))
                .extracting(r -> r.get("symbol") + " " + r.get("status") + " " + r.get("error_code"))
                .containsExactly(
                        "AAPL success null",
                        "AAPL success null",
                        "NVDA success null",
                        "NVDA success null",
                        "ZZZZ failed INVALID_SYMBOL",
                        "ZZZZ failed INVALID_SYMBOL");
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = 'ZZZZ'"))
                .isZero();
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars"))
                .isEqualTo(simulator
                                .bars("AAPL", Timeframe.h1, month(2024, 1), month(2024, 3))
                                .size()
                        + simulator
                                .bars("NVDA", Timeframe.h1, month(2024, 1), month(2024, 3))
                                .size());
    }

    /**
     * A fetch of twelve pages and more whose provider fails from page 7 on: the runs the first six pages served in
     * full (and moved past) are stored and complete; the run whose bars pages 6 and 7 share, and every later one,
     * stores nothing and goes back to the queue.
     */
    @Test
    void anOutageFromPageSevenOnKeepsTheRunsServedInFullAndNothingOfTheOthers() {
        List<String> symbols = SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 50);
        List<Run> runs = leasedMonths(symbols, 2024, 1, 8);
        Instant from = month(2024, 1);
        Instant to = month(2024, 9);
        // the provider's order: symbol by symbol (alphabetically), each in time order
        List<String> ordered = symbols.stream().sorted().toList();
        Map<String, Integer> barsBefore = new HashMap<>();
        int served = 0;
        for (String s : ordered) {
            barsBefore.put(s, served);
            served += simulator.bars(s, Timeframe.h1, from, to).size();
        }
        assertThat((served + PAGE - 1) / PAGE).as("pages").isGreaterThanOrEqualTo(12);
        int firstFailing = 6 * PAGE; // stream index of page 7's first bar
        simulator.outageFromRequest(7, 503);

        post(request(runs, from, to)).statusCode(200);

        int complete = 0;
        int straddling = 0;
        Map<Run, List<Bar>> storedPerRun = storedPerRun(runs);
        Map<Object, Map<String, Object>> rows = rows();
        for (Run r : runs) {
            String s = r.leased().symbol();
            int start = barsBefore.get(s)
                    + simulator.bars(s, Timeframe.h1, from, r.from()).size();
            int size = simulator.bars(s, Timeframe.h1, r.from(), r.to()).size();
            // the bar after the run's last one tells it is over; it must have arrived before the outage
            boolean servedInFull = start + size < firstFailing;
            Map<String, Object> row = rows.get(r.leased().id());
            List<Bar> stored = storedPerRun.get(r);
            if (servedInFull) {
                complete++;
                assertThat(row.get("status")).as(r.toString()).isEqualTo("success");
                assertThat(stored).isEqualTo(simulator.bars(s, Timeframe.h1, r.from(), r.to()));
            } else {
                assertThat(row.get("status")).as(r.toString()).isEqualTo("queued");
                assertThat(stored).as(r.toString()).isEmpty();
                if (start < firstFailing) {
                    straddling++;
                }
            }
        }
        assertThat(complete).isBetween(1, runs.size() - 1);
        assertThat(straddling).as("a run partly served before the outage").isEqualTo(1);
    }

    /**
     * The bars stored in each run's window, read with one query per symbol: a query per run, each on a connection of
     * its own, cost seconds for the hundreds of runs here.
     */
    private Map<Run, List<Bar>> storedPerRun(List<Run> runs) {
        Map<String, List<Bar>> bySymbol = new HashMap<>();
        Map<Run, List<Bar>> stored = new HashMap<>();
        for (Run r : runs) {
            List<Bar> all = bySymbol.computeIfAbsent(r.leased().symbol(), s -> queue.storedBars(s, "h1"));
            stored.put(
                    r,
                    all.stream()
                            .filter(b -> !b.ts().isBefore(r.from()) && b.ts().isBefore(r.to()))
                            .toList());
        }
        return stored;
    }

    /** Every run's row by its id, from one query. */
    private Map<Object, Map<String, Object>> rows() {
        Map<Object, Map<String, Object>> rows = new HashMap<>();
        db.query("SELECT id, status, rows_written, bars_fetched FROM job_runs").forEach(r -> rows.put(r.get("id"), r));
        return rows;
    }

    private List<Run> leasedMonths(List<String> symbols, int year, int firstMonth, int months) {
        List<Run> runs = new ArrayList<>();
        for (int m = 0; m < months; m++) {
            Instant from = month(year, firstMonth + m);
            Instant to = month(year, firstMonth + m + 1);
            for (Leased l : queue.leased("h1", from, to, Duration.ofMinutes(5), symbols.toArray(String[]::new))) {
                runs.add(new Run(l, from, to));
            }
        }
        return runs;
    }

    private static Instant month(int year, int month) {
        return YearMonth.of(year, 1)
                .plusMonths(month - 1L)
                .atDay(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC);
    }

    private static Map<String, Object> request(List<Run> runs, Instant from, Instant to) {
        Map<String, Object> body = new HashMap<>();
        body.put(
                "job_run_ids",
                runs.stream().map(r -> r.leased().id().toString()).toList());
        body.put(
                "lease_tokens",
                runs.stream().map(r -> r.leased().token().toString()).toList());
        body.put("symbols", runs.stream().map(r -> r.leased().symbol()).toList());
        body.put("froms", runs.stream().map(r -> r.from().toString()).toList());
        body.put("tos", runs.stream().map(r -> r.to().toString()).toList());
        body.put("timeframe", "h1");
        body.put("from", from.toString());
        body.put("to", to.toString());
        return body;
    }

    private ValidatableResponse post(Map<String, Object> body) {
        return FunctionCalls.post("/fetch-bars-batch", body);
    }

    private record Run(Leased leased, Instant from, Instant to) {
        @Override
        public String toString() {
            return leased.symbol() + " [" + from + ", " + to + ")";
        }
    }
}
