package io.barsbackfill.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.barsbackfill.cli.client.OrchestratorClient;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.localstack.Service;
import io.barsbackfill.orchestrator.api.TickResult;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two orchestrator processes on one database, ticked at the same moment again and again while dispatches
 * overlap (the provider answers slowly): no run is dispatched twice, and the in-flight cap holds across both.
 */
class TwoOrchestratorsTest {

    private static final int MAX_IN_FLIGHT = 3;
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "NVDA", "AMZN", "META", "TSLA");
    private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2025-09-01T00:00:00Z");
    private static final int SLICES = 8;

    @RegisterExtension
    static final E2eStack e2e = new E2eStack()
            .simulator(SimulatorSettings.defaults().withLatency(Duration.ofMillis(400)))
            .configure(stack -> stack.orchestrators(2)
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT))
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_BATCH_SIZE", "2")
                    // dispatches sized to one page of 1,000 bars: two tickers' month of h1 fits (at most 2 x 368
                    // bars), two months do not, so each dispatch is one slice and there are enough for both
                    // orchestrators
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_DISPATCH_PAGES", "1")
                    .env("BACKFILL_ALPACA_PAGE_LIMIT", "1000")
                    // the provider's pace is not what this test is about: at the default's a request per 315 ms,
                    // it set the test's length
                    .env("BACKFILL_RATE_LIMIT_PER_MINUTE", E2e.FAST_PROVIDER_BUDGET)
                    // short ticks, so that both keep coming back for the slots the other frees
                    .env(Service.ORCHESTRATOR, "BACKFILL_ORCHESTRATOR_TICK_BUDGET", "1s"));

    @Test
    void concurrentTicksNeverDispatchARunTwiceNorExceedTheCap() {
        assertThat(e2e.orchestrators()).hasSize(2);
        e2e.orchestrators()
                .get(0)
                .call(OrchestratorClient.enqueueRequest(
                        "TWO_ORCHESTRATORS", SYMBOLS, "h1", FROM.toString(), TO.toString(), null));
        e2e.simulator().resetCounters(); // count only what the fetchers ask from here on (enqueue probed the tickers)

        // each orchestrator ticked in a loop of its own, both at once, until the work is done
        List<CompletableFuture<List<TickResult>>> loops = e2e.orchestrators().stream()
                .map(o -> CompletableFuture.supplyAsync(() -> tickUntilDone(o)))
                .toList();
        List<TickResult> ticks = new ArrayList<>();
        loops.forEach(l -> ticks.addAll(l.join()));
        int rounds = ticks.size();
        long runs = SYMBOLS.size() * SLICES;
        assertThat(e2e.db().query("SELECT status, attempt, count(*) AS n FROM job_runs GROUP BY status, attempt"))
                .as("every run succeeded on its first and only attempt")
                .containsExactly(Map.of("status", "success", "attempt", 1, "n", runs));
        long delivered = ticks.stream().mapToLong(TickResult::jobsDispatched).sum();
        long requests = ticks.stream().mapToLong(TickResult::dispatches).sum();
        long dispatchIds = e2e.db().queryLong("SELECT count(DISTINCT dispatch_id) FROM job_runs");
        MarketSimulator.Stats stats = e2e.simulator().stats();
        JsonNode overHttp = E2e.simulatorStats(e2e.simulator().baseUrl());
        List<Map<String, Object>> byInstance = e2e.db()
                .query("SELECT leased_by, count(*) AS runs, count(DISTINCT dispatch_id) AS dispatches FROM job_runs "
                        + "GROUP BY leased_by ORDER BY leased_by");
        System.out.printf(
                "two orchestrators: %d ticks, %d runs delivered in %d dispatches; "
                        + "provider: %d requests, at most %d at once; by instance %s%n",
                rounds, delivered, requests, stats.barRequests(), stats.maxConcurrentBarRequests(), byInstance);

        assertThat(delivered)
                .as("runs delivered, summed over both orchestrators' ticks")
                .isEqualTo(runs);
        assertThat(requests).as("fetch requests made by both orchestrators").isEqualTo(dispatchIds);
        // each dispatch (2 symbols, one month of h1) fits in one provider page: one provider call per dispatch
        assertThat(stats.barRequests())
                .as("provider calls = dispatches: none repeated")
                .isEqualTo(dispatchIds);
        assertThat(stats.maxConcurrentBarRequests())
                .as("the in-flight cap holds across both orchestrators")
                .isLessThanOrEqualTo(MAX_IN_FLIGHT)
                .isGreaterThan(1);
        assertThat(overHttp.path("max_concurrent_bar_requests").asInt()).isEqualTo(stats.maxConcurrentBarRequests());
        assertThat(overHttp.path("bar_requests").asLong()).isEqualTo(stats.barRequests());
        assertThat(byInstance).as("both orchestrators dispatched").hasSize(2);
        for (String symbol : SYMBOLS) {
            assertThat(E2e.compareBars(e2e.db(), e2e.simulator(), symbol, Timeframe.h1, FROM, TO))
                    .isEmpty();
        }
        assertThat(e2e.stack().orchestratorUrls()).extracting(URI::getPort).doesNotHaveDuplicates();
    }

    private static List<TickResult> tickUntilDone(OrchestratorClient orchestrator) {
        List<TickResult> ticks = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (E2e.unfinished(e2e.db()) > 0
                || e2e.db().queryLong("SELECT count(*) FROM job_runs") < SYMBOLS.size() * SLICES) {
            TickResult tick = orchestrator.tick();
            ticks.add(tick);
            assertThat(tick.errors()).as("tick errors").isEmpty();
            assertThat(System.nanoTime()).as("not done; last tick %s", tick).isLessThan(deadline);
            if (tick.dispatches() == 0) {
                E2e.sleep(Duration.ofMillis(50)); // the other one holds every slot
            }
        }
        return ticks;
    }
}
