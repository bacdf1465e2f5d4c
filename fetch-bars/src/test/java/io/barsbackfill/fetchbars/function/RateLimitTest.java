package io.barsbackfill.fetchbars.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

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
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The provider allows 2 requests a minute. The third gets 429: the shared budget is blocked for the
 * provider's Retry-After (every instance waits), the run goes back to the queue with backoff instead of
 * hot-looping, and nothing is written. The Retry-After is longer than the wait budget, so the provider
 * refuses everyone for that long: the health gate opens until then and the run spends no attempt.
 */
@QuarkusTest
@TestProfile(RateLimitTest.ShortWait.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(value = SimulatorResource.class, initArgs = @ResourceArg(name = "requests-per-minute", value = "2"))
class RateLimitTest {

    @InjectTestDatabase
    TestDatabase db;

    @InjectSimulator
    MarketSimulator simulator;

    @Test
    void a429BlocksTheSharedBudgetAndRequeuesTheRun() {
        QueueFixtures queue = new QueueFixtures(db);
        Instant from = Instant.parse("2024-01-01T00:00:00Z");
        Instant to = Instant.parse("2025-01-01T00:00:00Z");
        Leased first =
                queue.leased("d1", from, to, Duration.ofMinutes(5), "AAPL").get(0);
        Leased second =
                queue.leased("d1", from, to, Duration.ofMinutes(5), "MSFT").get(0);
        Leased third =
                queue.leased("d1", from, to, Duration.ofMinutes(5), "NVDA").get(0);
        awaitFreshProviderMinute();

        fetch(first, from, to).body("status", equalTo("success"));
        fetch(second, from, to).body("status", equalTo("success"));
        fetch(third, from, to).body("status", equalTo("retry")).body("error_code", equalTo("RATE_LIMITED"));

        assertThat(simulator.barRequests())
                .as("one 429, then no hammering while blocked")
                .isEqualTo(3);
        Map<String, Object> bucket = db.query(
                        "SELECT blocked_until > now() AS blocked, tokens FROM rate_limits WHERE provider = 'alpaca'")
                .get(0);
        assertThat(bucket.get("blocked")).isEqualTo(true);
        Map<String, Object> run = db.query("""
                SELECT status, attempt, error_code, run_after > now() AS backing_off, lease_token
                FROM job_runs WHERE id = ?""", third.id()).get(0);
        assertThat(run)
                .containsEntry("status", "queued")
                .containsEntry("error_code", "RATE_LIMITED")
                .containsEntry("backing_off", true)
                .containsEntry("attempt", 0);
        assertThat(db.query("SELECT state, reason, next_probe_at >= now() AS later FROM provider_gate"
                                + " WHERE provider = 'alpaca'")
                        .get(0))
                .containsEntry("state", "open")
                .containsEntry("reason", "RATE_LIMITED")
                .containsEntry("later", true);
        assertThat(run.get("lease_token")).isNull();
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = 'NVDA'"))
                .isZero();

        // what an operator sees: the 429 counted, the provider reported blocked, the function still live and ready
        ScrapedMetrics metrics = ScrapedMetrics.scrape();
        assertThat(metrics.value("backfill_provider_rate_limited_total")).isEqualTo(1);
        assertThat(metrics.value(
                        "backfill_provider_requests_total",
                        "outcome=\"rate_limited\",provider=\"alpaca\",purpose=\"fetch\""))
                .isEqualTo(1);
        assertThat(metrics.value(
                        "backfill_provider_requests_total", "outcome=\"ok\",provider=\"alpaca\",purpose=\"fetch\""))
                .isEqualTo(2);
        given().get("/q/health/well")
                .then()
                .statusCode(503)
                .body("checks.find { it.name == 'provider' }.data.state", equalTo("rate_limited"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /**
     * The simulator's budget is per wall-clock minute; start at least 10 s before its end (the three calls take well
     * under a second) so all three calls share it.
     */
    private static void awaitFreshProviderMinute() {
        int second = LocalTime.now(ZoneOffset.UTC).getSecond();
        if (second > 50) {
            try {
                Thread.sleep((61 - second) * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ValidatableResponse fetch(Leased run, Instant from, Instant to) {
        return FunctionCalls.post("/fetch-bars", run.fetchBarsRequest("d1", from, to))
                .statusCode(200);
    }

    public static class ShortWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("backfill.alpaca.max-rate-limit-wait", "2s");
        }
    }
}
