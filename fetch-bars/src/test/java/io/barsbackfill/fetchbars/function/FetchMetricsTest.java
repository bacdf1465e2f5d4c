package io.barsbackfill.fetchbars.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.testing.FunctionCalls;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.ScrapedMetrics;
import io.barsbackfill.testing.SimulatorResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code /q/metrics} of a fetcher moves with the work it does: bars written, provider requests and latency. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class FetchMetricsTest {

    static final Instant JAN = Instant.parse("2023-01-01T00:00:00Z");
    static final Instant FEB = Instant.parse("2023-02-01T00:00:00Z");

    @InjectTestDatabase
    TestDatabase db;

    @InjectSimulator
    MarketSimulator simulator;

    @Test
    void aFetchMovesBarsWrittenProviderRequestsAndTheLatencyHistogram() {
        Leased run = new QueueFixtures(db)
                .leased("h1", JAN, FEB, Duration.ofMinutes(5), "AMZN")
                .get(0);
        int served = simulator.bars("AMZN", Timeframe.h1, JAN, FEB).size();
        ScrapedMetrics before = ScrapedMetrics.scrape();

        FunctionCalls.post("/fetch-bars", run.fetchBarsRequest("h1", JAN, FEB))
                .statusCode(200)
                .body("rows_written", equalTo(served));

        ScrapedMetrics after = ScrapedMetrics.scrape();
        assertThat(served).isPositive();
        assertThat(after.value("backfill_bars_written_total") - before.value("backfill_bars_written_total"))
                .isEqualTo(served);
        assertThat(after.value(
                                "backfill_provider_requests_total",
                                "outcome=\"ok\",provider=\"alpaca\",purpose=\"fetch\"")
                        - before.value(
                                "backfill_provider_requests_total",
                                "outcome=\"ok\",provider=\"alpaca\",purpose=\"fetch\""))
                .isEqualTo(1);
        assertThat(after.value("backfill_provider_latency_seconds_count")
                        - before.value("backfill_provider_latency_seconds_count"))
                .isEqualTo(1);
        assertThat(after.has("backfill_provider_latency_seconds_bucket", "le=\"+Inf\""))
                .as("a histogram")
                .isTrue();
        assertThat(after.value("backfill_provider_rate_limited_total")).isZero();
    }

    @Test
    void healthSaysReadyAndReportsTheProviderWithoutTouchingLiveness() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'settings' }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/well")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'provider' }.data.provider", equalTo("alpaca"));
    }
}
