package io.barsbackfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SimulatorStatsTest {

    private static final String RANGE = "&timeframe=1Day&start=2024-01-01&end=2024-01-31";

    @Test
    void countsRequestsAndNamesEverySymbolRejectedOnesIncluded() {
        try (MarketSimulator simulator = MarketSimulator.start(0, SimulatorSettings.defaults())) {
            ApiClient api = new ApiClient(simulator);
            long before = System.currentTimeMillis();
            assertThat(api.get("/v2/stocks/bars?symbols=MSFT,AAPL" + RANGE).status())
                    .isEqualTo(200);
            assertThat(api.get("/v2/stocks/BRK.A/bars?timeframe=1Day").status()).isEqualTo(200);
            assertThat(api.get("/v2/stocks/bars?symbols=AAPL,US_BATCH_1" + RANGE)
                            .status())
                    .isEqualTo(400);
            assertThat(api.get("/v2/stocks/ZZZZ/bars?timeframe=1Day").status()).isEqualTo(400);
            assertThat(api.get("/v2/other").status()).isEqualTo(404);

            JsonNode stats = api.get("/_simulator/stats").json();
            assertThat(stats.get("bar_requests").asLong()).isEqualTo(4);
            assertThat(stats.get("max_concurrent_bar_requests").asInt()).isEqualTo(1);
            List<String> symbols = new ArrayList<>();
            stats.get("symbols_requested").forEach(s -> symbols.add(s.asText()));
            assertThat(symbols).containsExactly("AAPL", "BRK.A", "MSFT", "US_BATCH_1", "ZZZZ");
            List<Long> times = new ArrayList<>();
            stats.get("bar_request_times_ms").forEach(t -> times.add(t.asLong()));
            assertThat(times)
                    .as("one arrival time per bars request, in order")
                    .hasSize(4)
                    .isSorted()
                    .allSatisfy(t -> assertThat(t).isBetween(before, System.currentTimeMillis()));
            assertThat(simulator.barRequestTimes()).isEqualTo(times);

            assertThat(simulator.barRequests())
                    .as("the stats request is not a bars request")
                    .isEqualTo(4);
            assertThat(simulator.stats()).isEqualTo(new MarketSimulator.Stats(4, 1, symbols));
            assertThat(simulator.symbolsRequested()).isEqualTo(symbols);

            simulator.resetCounters();
            assertThat(simulator.stats()).isEqualTo(new MarketSimulator.Stats(0, 0, List.of()));
            assertThat(simulator.barRequestTimes()).isEmpty();
        }
    }

    @Test
    void maxConcurrencyCountsRequestsAnsweredAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (MarketSimulator simulator =
                MarketSimulator.start(0, SimulatorSettings.defaults().withLatency(Duration.ofMillis(400)))) {
            ApiClient api = new ApiClient(simulator);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(
                        () -> api.get("/v2/stocks/bars?symbols=AAPL" + RANGE).status()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
            assertThat(simulator.maxConcurrentBarRequests()).isEqualTo(4);
            assertThat(api.get("/v2/stocks/bars?symbols=AAPL" + RANGE).status()).isEqualTo(200);
            assertThat(simulator.maxConcurrentBarRequests()).isEqualTo(4);
            assertThat(simulator.barRequests()).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }
}
