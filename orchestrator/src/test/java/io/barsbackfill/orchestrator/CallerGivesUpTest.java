package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.FetchFunction;
import io.barsbackfill.orchestrator.testing.Fetchers;
import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
            @ResourceArg(name = "simulator-latency-ms", value = "500"), // LATENCY
            @ResourceArg(name = "dispatch-timeout", value = "1500ms"),
            @ResourceArg(name = "backfill.alpaca.page-limit", value = "50")
        })
class CallerGivesUpTest extends OrchestratorTestBase {

    private static final Duration LATENCY = Duration.ofMillis(500);

    @Inject
    Fetchers fetchers;

    @Test
    void aFetchWhoseCallerGaveUpStopsCallingTheProviderAfterAtMostOnePage() throws InterruptedException {
        // a day of m1 bars: about 960, so about 20 pages of 50 at 500 ms each, far longer than the dispatch timeout
        queuedRun("AAPL", "m1", "2024-03-05T00:00:00Z", "2024-03-06T00:00:00Z", 100);
        int answeredBefore = fetchers.answered(FetchFunction.FETCH_BARS).size();

        action("tick").statusCode(200).body("runs_released", equalTo(1));
        long atGiveUp = simulator.barRequests();
        // the fetcher answers (to no one) once it found the lease gone; then two more pages' worth of provider
        // latency, in which a fetch that kept going would ask for two more pages
        assertThat(fetchers.answeredAfter(FetchFunction.FETCH_BARS, answeredBefore, 1))
                .as("the fetcher ended its fetch")
                .containsExactly("POST /fetch-bars 409");
        Thread.sleep(LATENCY.multipliedBy(2).toMillis());

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
