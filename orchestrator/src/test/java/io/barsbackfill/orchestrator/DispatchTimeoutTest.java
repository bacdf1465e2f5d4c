package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;

import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Real fetchers behind a provider slower than the orchestrator's dispatch timeout: they answer after the
 * orchestrator stopped waiting.
 */
@QuarkusTest
@WithTestResource(
        value = InProcessFetchersResource.class,
        initArgs = {
            @ResourceArg(name = "simulator-latency-ms", value = "3000"), // LATENCY
            @ResourceArg(name = "dispatch-timeout", value = "1s")
        })
class DispatchTimeoutTest extends OrchestratorTestBase {

    private static final Duration LATENCY = Duration.ofMillis(3000);

    @Test
    void noAnswerWithinTheDispatchTimeoutGivesTheRunsBackAndTheLateFetcherChangesNothing() {
        queuedRun("SPY", "d1", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 100);
        queuedRun("AAPL", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);
        queuedRun("MSFT", "h1", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 100);

        Instant sent = Instant.now();
        action("tick")
                .statusCode(200)
                .body("dispatches", equalTo(2))
                .body("jobs_dispatched", equalTo(0))
                .body("runs_released", equalTo(3))
                .body("duration_ms", lessThan((int) LATENCY.toMillis())) // it did not wait for the fetchers
                .body("errors", hasItem(containsString("fetch-bars unreachable")))
                .body("errors", hasItem(containsString("fetch-bars-batch unreachable")));

        List<Map<String, Object>> runs = runs("true");
        assertThat(runs).hasSize(3).allSatisfy(r -> {
            assertThat(r)
                    .containsEntry("status", "queued")
                    .containsEntry("error_code", "DISPATCH_FAILED")
                    .containsEntry("attempt", 1)
                    .containsEntry("lease_token", null);
            assertThat(instant(r.get("run_after"))).as("backoff").isAfter(Instant.now());
        });

        // the fetchers did get the runs (with leases valid then) and asked the provider; its answers come after
        // LATENCY, when the leases are no longer theirs: storing is fenced by the lease, so nothing changes
        waitUntil(() -> simulator.barRequests() >= 2);
        sleep(Duration.between(Instant.now(), sent.plus(LATENCY).plusSeconds(1)));
        assertThat(simulator.symbolsRequested()).containsExactly("AAPL", "MSFT", "SPY");
        assertThat(runs("true")).isEqualTo(runs);
        assertThat(count("SELECT count(*) FROM ohlc_bars")).isZero();
    }

    private static void waitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
            sleep(Duration.ofMillis(50));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
