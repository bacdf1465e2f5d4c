package io.barsbackfill.fetchbars.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.testing.FetcherTestBase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class FetchBarsFunctionTest extends FetcherTestBase {

    FetchBarsFunctionTest() {
        super("/fetch-bars");
    }

    @Test
    void storesTheSymbolsBarsAndCompletesTheRun() {
        Leased run =
                queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "BRK.A").get(0);
        int served = simulator.bars("BRK.A", Timeframe.h1, JAN, FEB).size();

        post(request(run, "h1", JAN, FEB))
                .statusCode(200)
                .body("job_run_id", equalTo(run.id().toString()))
                .body("symbol", equalTo("BRK.A"))
                .body("status", equalTo("success"))
                .body("rows_written", equalTo(served))
                .body("provider", equalTo("alpaca"))
                .body("from", equalTo(JAN.toString()))
                .body("to", equalTo(FEB.toString()))
                .body("api_calls", equalTo(1));

        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = 'BRK.A' AND timeframe = 'h1'"))
                .isEqualTo(served);
        Map<String, Object> row = db.query("SELECT * FROM job_runs").get(0);
        assertThat(row.get("status")).isEqualTo("success");
        assertThat(row.get("rows_written")).isEqualTo(served);
        assertThat(row.get("provider")).isEqualTo("alpaca");
        assertThat(row.get("finished_at")).isNotNull();
        assertThat(row.get("lease_token")).isNull();
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE fetched_at IS NULL OR feed <> 'iex'"))
                .isZero();
    }

    @Test
    void aSliceWithoutTradingSucceedsWithZeroBars() {
        Instant christmas = Instant.parse("2024-12-25T00:00:00Z");
        Leased run = queue.leased("m1", christmas, christmas.plus(Duration.ofDays(1)), Duration.ofMinutes(5), "SPY")
                .get(0);

        post(request(run, "m1", christmas, christmas.plus(Duration.ofDays(1))))
                .statusCode(200)
                .body("status", equalTo("success"))
                .body("rows_written", equalTo(0));
        assertThat(db.query("SELECT status FROM job_runs").get(0).get("status")).isEqualTo("success");
    }

    @Test
    void anUnknownTickerFailsTheRunWithoutRetry() {
        Leased run = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "ZZZZ").get(0);

        post(request(run, "h1", JAN, FEB))
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_code", equalTo("INVALID_SYMBOL"));
        Map<String, Object> row =
                db.query("SELECT status, error_code FROM job_runs").get(0);
        assertThat(row).containsEntry("status", "failed").containsEntry("error_code", "INVALID_SYMBOL");
    }

    @Test
    void aStaleLeaseGets409AndWritesNothing() {
        Leased old = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "AAPL").get(0);
        Leased newer = queue.reclaim(old);

        post(request(old, "h1", JAN, FEB)).statusCode(409).body("code", equalTo("STALE_LEASE"));

        assertThat(db.query("SELECT status, lease_token FROM job_runs").get(0))
                .containsEntry("status", "running")
                .containsEntry("lease_token", newer.token());
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
    }

    @Test
    void theSameCallTwiceChangesNothingTheSecondTime() {
        Leased run = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "MSFT").get(0);
        post(request(run, "h1", JAN, FEB)).statusCode(200);
        List<Map<String, Object>> runs = db.query("SELECT * FROM job_runs");
        List<Map<String, Object>> bars = db.query("SELECT * FROM ohlc_bars ORDER BY ts");

        post(request(run, "h1", JAN, FEB)).statusCode(409);

        assertThat(db.query("SELECT * FROM job_runs")).isEqualTo(runs);
        assertThat(db.query("SELECT * FROM ohlc_bars ORDER BY ts")).isEqualTo(bars);
    }

    @Test
    void malformedRequestsGet400NamingTheField() {
        Leased run = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "AAPL").get(0);
        Map<String, Object> ok = request(run, "h1", JAN, FEB);
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("job_run_id", with(ok, "job_run_id", "42"));
        cases.put("lease_token", with(ok, "lease_token", null));
        cases.put("symbol", with(ok, "symbol", "US_BATCH_1"));
        cases.put("timeframe", with(ok, "timeframe", "1d"));
        cases.put("from", with(ok, "from", "2024-01-01"));
        cases.put("to", with(ok, "to", "2023-12-01T00:00:00Z"));

        cases.forEach((field, body) -> post(body).statusCode(400).body("field", equalTo(field)));
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
        assertThat(db.query("SELECT status FROM job_runs").get(0).get("status")).isEqualTo("running");
        assertThat(simulator.barRequests()).isZero();
    }

    /** A 400 about the run names it by job_run_id and index 0, as a batch's does; one about the request does not. */
    @Test
    void a400AboutTheRunNamesItsIdAndIndex() {
        Leased run = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "AAPL").get(0);
        Map<String, Object> ok = request(run, "h1", JAN, FEB);

        post(with(ok, "symbol", "MSFT"))
                .statusCode(400)
                .body("field", equalTo("symbol"))
                .body("index", equalTo(0))
                .body("job_run_id", equalTo(run.id().toString()));
        post(with(ok, "lease_token", "x"))
                .statusCode(400)
                .body("field", equalTo("lease_token"))
                .body("index", equalTo(0))
                .body("job_run_id", equalTo(run.id().toString()));
        post(with(ok, "from", "2024-01-01"))
                .statusCode(400)
                .body("field", equalTo("from"))
                .body("$", not(hasKey("index")))
                .body("$", not(hasKey("job_run_id")));
        assertThat(db.query("SELECT status FROM job_runs").get(0).get("status")).isEqualTo("running");
    }

    @Test
    void hostileInputIsRefusedWithoutEchoingItOrTouchingTheDatabase() {
        Leased run = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "AAPL").get(0);
        Map<String, Object> ok = request(run, "h1", JAN, FEB);
        String huge = "A".repeat(200_000);

        post(with(ok, "symbol", "AAPL'; DROP TABLE ohlc_bars; --"))
                .statusCode(400)
                .body("field", equalTo("symbol"));
        String message = post(with(ok, "timeframe", huge))
                .statusCode(400)
                .body("field", equalTo("timeframe"))
                .extract()
                .path("error");
        assertThat(message).hasSizeLessThan(200);
        post(with(ok, "symbol", "\u0000AAPL")).statusCode(400).body("field", equalTo("symbol"));
        post("[1, 2, 3]").statusCode(400).body("code", equalTo("BAD_INPUT"));
        post("{\"job_run_id\": {\"$gt\": \"\"}}").statusCode(400).body("field", equalTo("job_run_id"));

        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
        assertThat(db.query("SELECT status FROM job_runs").get(0).get("status")).isEqualTo("running");
        assertThat(simulator.barRequests()).isZero();
    }

    @Test
    void everyHostileRequestIsRefusedWithTheJsonErrorBodyAndWritesNothing() {
        Leased run = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "AAPL").get(0);
        Map<String, Object> valid = new LinkedHashMap<>();
        valid.put("job_run_id", run.id().toString());
        valid.put("lease_token", run.token().toString());
        valid.put("symbol", "AAPL");
        valid.put("timeframe", "h1");
        valid.put("from", JAN.toString());
        valid.put("to", FEB.toString());

        assertEveryHostileVariantRefused(valid);
        assertThat(db.query("SELECT status, attempt FROM job_runs").get(0)).containsEntry("status", "running");
    }

    @Test
    void healthIsOpenButFunctionsNeedTheToken() {
        given().get("/q/health/ready").then().statusCode(200);
        postAs(null, "{}").statusCode(401);
    }

    @Test
    void fetchesTheRunsSeriesWhateverThisFetchersSettingsSay() {
        Instant y2020 = Instant.parse("2020-01-01T00:00:00Z");
        Instant y2021 = Instant.parse("2021-01-01T00:00:00Z");
        Leased split = queue.leasedInSeries(
                        Series.alpaca("iex", "split"), "d1", y2020, y2021, Duration.ofMinutes(5), "AAPL")
                .get(0);
        Leased raw =
                queue.leased("d1", y2020, y2021, Duration.ofMinutes(5), "AAPL").get(0);

        post(request(split, "d1", y2020, y2021)).statusCode(200).body("status", equalTo("success"));
        Map<String, Object> body = request(raw, "d1", y2020, y2021);
        body.put("provider", "alpaca");
        body.put("feed", "iex");
        body.put("adjustment", "raw");
        post(body).statusCode(200).body("status", equalTo("success"));

        // both series stored side by side: before the 4:1 split on 31 August 2020 raw prices are 4 times higher
        assertThat(db.query("SELECT adjustment, count(*) AS n FROM ohlc_bars GROUP BY adjustment ORDER BY adjustment"))
                .containsExactly(Map.of("adjustment", "raw", "n", 253L), Map.of("adjustment", "split", "n", 253L));
        assertThat(db.query("""
                SELECT r.close / s.close AS ratio FROM ohlc_bars r JOIN ohlc_bars s USING (symbol, timeframe, feed, ts)
                WHERE r.adjustment = 'raw' AND s.adjustment = 'split' AND ts IN ('2020-08-28T04:00Z',
                    '2020-08-31T04:00Z')
                ORDER BY ts"""))
                .extracting(r -> Math.round((Double) r.get("ratio") * 1000) / 1000.0)
                .containsExactly(4.0, 1.0);
    }

    @Test
    void aRequestNamingAnotherSeriesThanItsRunsIsRefusedAndWritesNothing() {
        Leased run = queue.leasedInSeries(Series.alpaca("iex", "split"), "h1", JAN, FEB, Duration.ofMinutes(5), "AAPL")
                .get(0);
        Map<String, Object> body = request(run, "h1", JAN, FEB);
        body.put("adjustment", "raw");
        post(body).statusCode(400).body("field", equalTo("adjustment")).body("code", equalTo("BAD_INPUT"));
        body.put("adjustment", "split");
        body.put("feed", "sip");
        post(body).statusCode(400).body("field", equalTo("feed"));
        body.remove("feed");
        body.put("provider", "massive");
        post(body)
                .statusCode(400)
                .body("field", equalTo("provider"))
                .body("error", containsString("is of provider alpaca, not massive"));
        body.put("provider", "polygon");
        post(body).statusCode(400).body("field", equalTo("provider"));
        body.remove("provider");
        body.put("adjustmnet", "split");
        post(body).statusCode(400).body("field", equalTo("adjustmnet"));
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
        assertThat(db.query("SELECT status FROM job_runs").get(0)).containsEntry("status", "running");
        assertThat(simulator.barRequests()).isZero();
    }

    @Test
    void statisticsTheProviderLeavesOutAreStoredAsNullNotZero() {
        Leased run = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "VOXX").get(0);
        int served = simulator.bars("VOXX", Timeframe.h1, JAN, FEB).size();
        post(request(run, "h1", JAN, FEB))
                .statusCode(200)
                .body("status", equalTo("success"))
                .body("rows_written", equalTo(served));
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE vwap IS NULL AND trade_count IS NULL"))
                .isEqualTo(served)
                .isPositive();
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE vwap = 0 OR trade_count = 0"))
                .isZero();
        assertThat(db.query("SELECT bars_rejected FROM job_runs").get(0)).containsEntry("bars_rejected", 0);
    }

    static Map<String, Object> request(Leased run, String timeframe, Instant from, Instant to) {
        return run.fetchBarsRequest(timeframe, from, to);
    }
}
