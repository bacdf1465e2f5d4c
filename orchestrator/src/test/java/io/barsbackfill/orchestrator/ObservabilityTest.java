package io.barsbackfill.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.FetchFunction;
import io.barsbackfill.orchestrator.testing.Fetchers;
import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.barsbackfill.testing.ScrapedMetrics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an operator watches while a backfill runs: {@code /q/metrics} of the orchestrator and of the fetchers (in
 * process here, so in the same page) move with the work, health reports the heartbeat, and each dispatch reaches
 * its fetcher with its id and the trace context (so logs of the three functions can be joined).
 */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class ObservabilityTest extends OrchestratorTestBase {

    private static final String ALPACA = "provider=\"alpaca\"";
    private static final String MASSIVE = "provider=\"massive\"";

    @Inject
    Fetchers fetchers;

    @Test
    void aBackfillMovesTheMetricsOfTheOrchestratorAndTheFetchers() {
        queuedRun("AAPL", "d1", "2022-01-01T00:00:00Z", "2023-01-01T00:00:00Z", 100);
        queuedRun("MSFT", "d1", "2022-01-01T00:00:00Z", "2023-01-01T00:00:00Z", 100);
        queuedRun("SPY", "h1", "2022-03-01T00:00:00Z", "2022-04-01T00:00:00Z", 100);
        ScrapedMetrics before = ScrapedMetrics.scrape();
        double fetchersBefore = barsWrittenByFetchers();
        int headersBefore = fetchers.headersAnswered(FetchFunction.FETCH_BARS).size()
                + fetchers.headersAnswered(FetchFunction.FETCH_BARS_BATCH).size();

        action("tick").statusCode(200).body("status", equalTo("healthy")).body("jobs_dispatched", equalTo(3));

        ScrapedMetrics after = ScrapedMetrics.scrape();
        assertThat(after.value("backfill_ticks_total", "result=\"healthy\"")
                        - before.value("backfill_ticks_total", "result=\"healthy\""))
                .isEqualTo(1);
        assertThat(after.value("backfill_runs", "status=\"success\"")).isEqualTo(3);
        // a gauge that is absent would also read 0: each must be there
        assertThat(after.has("backfill_runs", "status=\"queued\"")).isTrue();
        assertThat(after.value("backfill_runs", "status=\"queued\"")).isZero();
        assertThat(after.has("backfill_dispatches_in_flight", "")).isTrue();
        assertThat(after.value("backfill_dispatches_in_flight")).isZero();
        assertThat(after.has("backfill_queue_oldest_queued_seconds", "")).isTrue();
        assertThat(after.value("backfill_queue_oldest_queued_seconds")).isZero();
        for (String provider : List.of(ALPACA, MASSIVE)) {
            assertThat(after.has("backfill_provider_gate_open", provider))
                    .as("gate gauge of %s present", provider)
                    .isTrue();
            assertThat(after.value("backfill_provider_gate_open", provider)).isZero();
        }
        assertThat(after.sum("backfill_claim_seconds_count") - before.sum("backfill_claim_seconds_count"))
                .isGreaterThanOrEqualTo(1);
        long written = count("SELECT sum(rows_written) FROM job_runs WHERE status = 'success'");
        assertThat(written).isPositive();
        assertThat(barsWrittenByFetchers() - fetchersBefore).isEqualTo(written);

        List<String> headers = new ArrayList<>(fetchers.headersAnswered(FetchFunction.FETCH_BARS));
        headers.addAll(fetchers.headersAnswered(FetchFunction.FETCH_BARS_BATCH));
        assertThat(headers.subList(headersBefore, headers.size()))
                .as("one line per dispatch: a batch and a single")
                .hasSize(2)
                .allMatch(h -> h.matches("dispatch=[0-9a-f-]{36} trace=00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"));

        given().get("/q/health/well")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'heartbeat' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'heartbeat' }.data.last_status", equalTo("healthy"));
    }

    /** The fetchers run in this application, so their counter is in its {@code /q/metrics}. */
    private static double barsWrittenByFetchers() {
        return ScrapedMetrics.scrape().value("backfill_bars_written_total");
    }

    @Test
    void eachProvidersGateHasItsOwnGauge() {
        db.execute("""
                INSERT INTO provider_gate (provider, state, reason, opened_at, next_probe_at)
                VALUES ('massive', 'open', 'PROVIDER_AUTH', now(), now() + interval '1 hour')""");
        Instant deadline = Instant.now().plusSeconds(10);
        ScrapedMetrics metrics;
        do {
            action("tick").statusCode(200); // a tick refreshes the gauges
            metrics = ScrapedMetrics.scrape();
        } while (metrics.value("backfill_provider_gate_open", MASSIVE) != 1
                && Instant.now().isBefore(deadline));

        assertThat(metrics.value("backfill_provider_gate_open", MASSIVE)).isEqualTo(1);
        assertThat(metrics.has("backfill_provider_gate_open", ALPACA)).isTrue();
        assertThat(metrics.value("backfill_provider_gate_open", ALPACA)).isZero();
    }
}
