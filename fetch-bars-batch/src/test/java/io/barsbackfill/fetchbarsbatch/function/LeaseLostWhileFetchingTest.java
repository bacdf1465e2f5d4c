package io.barsbackfill.fetchbarsbatch.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.testing.FetcherTestBase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leases lost after the fetcher checked them, while the provider answers: the runs of one page are stored in
 * groups, one transaction each, and a run re-claimed in the meantime must get nothing written while the runs
 * of its group whose leases hold are stored and completed.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class LeaseLostWhileFetchingTest extends FetcherTestBase {

    /** Five runs on one page: stored in groups of two, so the stale one shares its transaction with another. */
    static final String[] SYMBOLS = {"A", "AA", "AAPL", "ABTC", "ACN"};

    /** The answer waits for the provider; on a loaded machine that can be more than the default 30 s. */
    static final RestAssuredConfig SLOW = RestAssured.config()
            .httpClient(HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 180_000));

    LeaseLostWhileFetchingTest() {
        super("/fetch-bars-batch");
    }

    @AfterEach
    void release() {
        simulator.resetCounters(); // releases a hold a failed test left
    }

    @Test
    void aRunReclaimedDuringTheFetchGetsNoBarsAndTheOthersOfItsGroupAreStored() throws Exception {
        List<Leased> runs = queue.leased("d1", JAN, FEB, Duration.ofMinutes(5), SYMBOLS);
        CompletableFuture<JsonPath> answer;
        Leased newer;
        try (MarketSimulator.Hold held = simulator.holdAnswers()) {
            answer = postWhileProviderAnswers(runs, 200);
            newer = queue.reclaim(runs.get(1));
        }
        JsonPath results = answer.get(180, TimeUnit.SECONDS);

        assertThat(results.getString("results[1].status")).isEqualTo("conflict");
        assertThat(results.getString("results[1].error_code")).isEqualTo("STALE_LEASE");
        assertThat(stored("AA")).as("no bars for the stale run").isZero();
        assertThat(db.query("SELECT status, lease_token, rows_written FROM job_runs WHERE symbol = 'AA'")
                        .get(0))
                .as("the newer lease untouched")
                .containsEntry("status", "running")
                .containsEntry("lease_token", newer.token())
                .containsEntry("rows_written", 0);
        for (int i : new int[] {0, 2, 3, 4}) {
            String symbol = SYMBOLS[i];
            int served = simulator.bars(symbol, Timeframe.d1, JAN, FEB).size();
            assertThat(results.getString("results[" + i + "].status"))
                    .as(symbol)
                    .isEqualTo("success");
            assertThat(stored(symbol)).as(symbol).isEqualTo(served).isPositive();
            assertThat(db.query("SELECT status, rows_written FROM job_runs WHERE symbol = ?", symbol)
                            .get(0))
                    .as(symbol)
                    .containsEntry("status", "success")
                    .containsEntry("rows_written", served);
        }
    }

    @Test
    void runsAllReclaimedDuringTheFetchChangeNothing() throws Exception {
        List<Leased> runs = queue.leased("d1", JAN, FEB, Duration.ofMinutes(5), SYMBOLS);
        CompletableFuture<JsonPath> answer;
        try (MarketSimulator.Hold held = simulator.holdAnswers()) {
            answer = postWhileProviderAnswers(runs, 409);
            runs.forEach(queue::reclaim);
        }
        JsonPath error = answer.get(180, TimeUnit.SECONDS);

        assertThat(error.getString("code")).as("no run of the request left").isEqualTo("STALE_LEASE");
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'running' AND rows_written = 0"))
                .isEqualTo(SYMBOLS.length);
    }

    /** Posts the batch and answers once its provider request has arrived (held there until the test releases it). */
    private CompletableFuture<JsonPath> postWhileProviderAnswers(List<Leased> runs, int status)
            throws InterruptedException {
        Map<String, Object> body = FetchBarsBatchFunctionTest.batch(runs, "d1", JAN, FEB);
        CompletableFuture<JsonPath> answer = CompletableFuture.supplyAsync(() -> given().config(SLOW)
                .contentType(ContentType.JSON)
                .header("Authorization", "Bearer test-token")
                .body(body)
                .post(path())
                .then()
                .statusCode(status)
                .extract()
                .jsonPath());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (simulator.barRequests() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(simulator.barRequests()).as("the provider request arrived").isPositive();
        return answer;
    }

    private long stored(String symbol) {
        return db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = ?", symbol);
    }
}
