package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator gives up on a long fetch (its dispatch timeout passes) and releases the run. The real fetcher,
 * fetching many small pages from a slow provider, finds the lease gone at its next page's lease extension and stops:
 * the provider hears at most the page that was in flight when the orchestrator gave up.
 */
@QuarkusTest
@WithTestResource(
        value = InProcessFetchersResource.class,
        initArgs = {
            @ResourceArg(name = "simulator-latency-ms", value = "500"),
            @ResourceArg(name = "dispatch-timeout", value = "1500ms"),
            @ResourceArg(name = "backfill.alpaca.page-limit", value = "50")
        })
class CallerGivesUpTest extends OrchestratorTestBase {

    @Test
    void aFetchWhoseCallerGaveUpStopsCallingTheProviderAfterAtMostOnePage() throws InterruptedException {
        // a day of m1 bars: about 960, so about 20 pages of 50 at 500 ms each, far longer than the dispatch timeout
        queuedRun("AAPL", "m1", "2024-03-05T00:00:00Z", "2024-03-06T00:00:00Z", 100);

        action("tick").statusCode(200).body("runs_released", equalTo(1));
        long atGiveUp = simulator.barRequests();
        Thread.sleep(Duration.ofSeconds(5).toMillis()); // ten more pages' worth of provider latency

        assertThat(atGiveUp).as("the fetch had started").isPositive();
        assertThat(simulator.barRequests() - atGiveUp)
                .as("provider calls after the orchestrator gave up")
                .isLessThanOrEqualTo(1);
        assertThat(runs("true"))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("status", "queued").containsEntry("lease_token", null));
        assertThat(count("SELECT count(*) FROM ohlc_bars")).isZero();
    }
}
