package io.barsbackfill.fetchbars.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.testing.FunctionCalls;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.SimulatorResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A provider that fails 40 % of its answers with 500: retries with backoff still store every bar. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(value = SimulatorResource.class, initArgs = @ResourceArg(name = "error-rate", value = "0.4"))
class ProviderFaultsTest {

    @InjectTestDatabase
    TestDatabase db;

    @InjectSimulator
    MarketSimulator simulator;

    private ExtractableResponse<Response> fetch(Leased run, Instant from, Instant to) {
        return FunctionCalls.post("/fetch-bars", run.fetchBarsRequest("m5", from, to))
                .statusCode(200)
                .extract();
    }

    @Test
    void transientProviderErrorsAreRetriedUntilEveryBarIsStored() {
        QueueFixtures queue = new QueueFixtures(db);
        Instant from = Instant.parse("2024-03-04T00:00:00Z");
        Instant to = Instant.parse("2024-03-11T00:00:00Z");
        int retried = 0;
        for (String symbol : new String[] {"AAPL", "MSFT", "NVDA", "AMZN", "META", "GOOG"}) {
            Leased run =
                    queue.leased("m5", from, to, Duration.ofMinutes(5), symbol).get(0);
            String status = "retry";
            // What the orchestrator does: a run given back to the queue is claimed and fetched again.
            for (int attempt = 1; attempt <= 5 && status.equals("retry"); attempt++) {
                long callsBefore = simulator.barRequests();
                var answer = fetch(run, from, to);
                status = answer.path("status");
                assertThat(answer.<Integer>path("api_calls")).isEqualTo((int) (simulator.barRequests() - callsBefore));
                retried += answer.<Integer>path("api_calls") - 1;
                if (status.equals("retry")) {
                    assertThat(answer.<String>path("error_code")).isEqualTo("PROVIDER_UNAVAILABLE");
                    run = queue.reclaim(run);
                }
            }
            assertThat(status).as(symbol).isEqualTo("success");
            assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = ?", symbol))
                    .isEqualTo(simulator.bars(symbol, Timeframe.m5, from, to).size());
        }
        assertThat(retried).as("some calls must have failed and been retried").isPositive();
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status <> 'success'"))
                .isZero();
    }
}
