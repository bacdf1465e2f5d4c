package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.orchestrator.testing.FetchFunction;
import io.barsbackfill.orchestrator.testing.Fetchers;
import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dispatch to the fetch functions' real work, in process over HTTP (on this application's database, fetching from
 * the market simulator; the packaged fetchers as processes are the end-to-end tests'). What the orchestrator sent is
 * judged by what the fetchers did with it: a fetcher refuses a wrong token (401), a run id that is not the row's or
 * a ticker or slice that is not the run's (400), and a lease that is not the run's (conflict, nothing written).
 * Misconfigured fetchers are in the {@code DispatchTo*Test}s.
 */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class DispatchTest extends OrchestratorTestBase {

    @Inject
    Fetchers fetchers;

    @Test
    void deliversEachGroupWithItsClaimedTickersAndLeasesClaimsMoreAsDispatchesEndAndEveryRunGetsTheProvidersBars() {
        for (int day = 1; day <= 15; day += 2) {
            // every other day: consecutive slices of the same tickers would share one dispatch (the next test)
            for (String symbol : List.of("AAPL", "MSFT", "NVDA")) {
                queuedRun(symbol, "m1", day(day), day(day + 1), 100);
            }
        }
        queuedRun("SPY", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 100);
        int singleBefore = fetchers.answered(FetchFunction.FETCH_BARS).size();
        int batchBefore = fetchers.answered(FetchFunction.FETCH_BARS_BATCH).size();

        // 9 groups, at most 5 in flight: the tick claims again as dispatches end
        action("tick")
                .statusCode(200)
                .body("jobs_dispatched", equalTo(25))
                .body("dispatches", equalTo(9))
                .body("runs_released", equalTo(0))
                .body("runs_failed", equalTo(0))
                .body("status", equalTo("healthy"))
                .body("errors", empty());

        // each run ended by a fetcher, fenced by the lease its claim gave it, with exactly the bars of its slice
        List<Map<String, Object>> runs = runs("true");
        assertThat(runs).hasSize(25).allSatisfy(r -> {
            assertThat(r)
                    .containsEntry("status", "success")
                    .containsEntry("attempt", 1)
                    .containsEntry("error_code", null)
                    .containsEntry("lease_token", null);
            List<Bar> served = servedBars(r);
            assertThat(storedBars(
                            (String) r.get("symbol"),
                            String.valueOf(r.get("timeframe")),
                            instant(r.get("slice_from")),
                            instant(r.get("slice_to"))))
                    .as("bars of %s %s", r.get("symbol"), r.get("slice_from"))
                    .isEqualTo(served);
            assertThat(r.get("rows_written")).isEqualTo(served.size());
        });
        assertThat(count("SELECT count(*) FROM ohlc_bars"))
                .as("trading days have bars")
                .isGreaterThan(10_000);
        assertThat(simulator.symbolsRequested()).containsExactly("AAPL", "MSFT", "NVDA", "SPY");
        assertThat(simulator.barRequests())
                .as("one provider request per group: each went out once, whole")
                .isEqualTo(9);
        assertThat(fetchers.answeredAfter(FetchFunction.FETCH_BARS, singleBefore, 1))
                .as("the single run")
                .containsExactly("POST /fetch-bars 200");
        assertThat(fetchers.answeredAfter(FetchFunction.FETCH_BARS_BATCH, batchBefore, 8))
                .as("the 8 groups of 3")
                .hasSize(8)
                .containsOnly("POST /fetch-bars-batch 200");
    }

    @Test
    void consecutiveSlicesOfTheSameTickersGoInOneRequestThatFillsWholePagesAndEachRunGetsItsOwnBars() {
        for (int day = 1; day <= 8; day++) {
            for (String symbol : List.of("AAPL", "MSFT", "NVDA")) {
                queuedRun(symbol, "m1", day(day), day(day + 1), 100);
            }
        }
        int batchBefore = fetchers.answered(FetchFunction.FETCH_BARS_BATCH).size();
        long requestsBefore = simulator.barRequests();

        action("tick")
                .statusCode(200)
                .body("jobs_dispatched", equalTo(24))
                .body("dispatches", equalTo(1))
                .body("errors", empty());

        long bars = 0;
        for (Map<String, Object> r : runs("true")) {
            List<Bar> served = servedBars(r);
            assertThat(r).containsEntry("status", "success");
            assertThat(storedBars(
                            (String) r.get("symbol"), "m1", instant(r.get("slice_from")), instant(r.get("slice_to"))))
                    .as("bars of %s %s", r.get("symbol"), r.get("slice_from"))
                    .isEqualTo(served);
            assertThat(r.get("rows_written")).isEqualTo(served.size());
            bars += served.size();
        }
        assertThat(count("SELECT count(*) FROM ohlc_bars"))
                .as("no bar in two runs")
                .isEqualTo(bars);
        assertThat(simulator.barRequests() - requestsBefore)
                .as("whole pages: %d bars of 8 slices in one request sequence", bars)
                .isEqualTo((bars + 9_999) / 10_000);
        assertThat(fetchers.answeredAfter(FetchFunction.FETCH_BARS_BATCH, batchBefore, 1))
                .containsExactly("POST /fetch-bars-batch 200");
    }

    private static String day(int day) {
        return "2024-01-%02dT00:00:00Z".formatted(day);
    }
}
