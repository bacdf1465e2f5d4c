package io.barsbackfill.fetchbarsbatch.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.FetcherTestBase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class FetchBarsBatchFunctionTest extends FetcherTestBase {

    static final Instant MAR = Instant.parse("2024-03-01T00:00:00Z");

    FetchBarsBatchFunctionTest() {
        super("/fetch-bars-batch");
    }

    @Test
    void fiftySymbolMonthSpanningSeveralPagesStoresExactlyTheServedBars() {
        String[] symbols = SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 50).toArray(String[]::new);
        List<Leased> runs = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), symbols);
        int served = 0;
        for (String s : symbols) {
            served += simulator.bars(s, Timeframe.h1, JAN, FEB).size();
        }
        int pages = (served + 9_999) / 10_000;
        assertThat(pages).as("the month must span several provider pages").isGreaterThanOrEqualTo(2);

        post(batch(runs, "h1", JAN, FEB))
                .statusCode(200)
                .body("total_symbols", equalTo(50))
                .body("total_bars", equalTo(served))
                .body("symbols_processed.size()", equalTo(50))
                .body("api_calls", equalTo(pages));

        assertThat(simulator.barRequests()).isEqualTo(pages);
        for (String s : symbols) {
            assertThat(queue.storedBars(s, "h1")).as(s).isEqualTo(simulator.bars(s, Timeframe.h1, JAN, FEB));
        }
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'success'"))
                .isEqualTo(50);
        assertThat(db.queryLong("SELECT sum(rows_written) FROM job_runs")).isEqualTo(served);
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE lease_token IS NOT NULL"))
                .isZero();
    }

    @Test
    void unknownTickerFailsOnlyItsOwnRunAndTheOthersAreStored() {
        List<String> symbols = new ArrayList<>(SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 19));
        symbols.add(7, "ZZZZ");
        List<Leased> runs = queue.leased(
                "d1",
                JAN,
                Instant.parse("2025-01-01T00:00:00Z"),
                Duration.ofMinutes(5),
                symbols.toArray(String[]::new));

        post(batch(runs, "d1", JAN, Instant.parse("2025-01-01T00:00:00Z")))
                .statusCode(200)
                .body("total_symbols", equalTo(20))
                .body("symbols_processed.size()", equalTo(19))
                .body("results[7].symbol", equalTo("ZZZZ"))
                .body("results[7].status", equalTo("failed"))
                .body("results[7].error_code", equalTo("INVALID_SYMBOL"))
                .body("results[0].status", equalTo("success"));

        Map<String, Object> bad = db.query("SELECT status, error_code, finished_at FROM job_runs WHERE symbol = 'ZZZZ'")
                .get(0);
        assertThat(bad.get("status")).isEqualTo("failed");
        assertThat(bad.get("error_code")).isEqualTo("INVALID_SYMBOL");
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'success'"))
                .isEqualTo(19);
        for (String s : symbols) {
            if (!s.equals("ZZZZ")) {
                assertThat(queue.storedBars(s, "d1"))
                        .as(s)
                        .hasSize(252)
                        .isEqualTo(simulator.bars(s, Timeframe.d1, JAN, Instant.parse("2025-01-01T00:00:00Z")));
            }
        }
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = 'ZZZZ'"))
                .isZero();
    }

    @Test
    void theSameCallTwiceChangesNothingTheSecondTime() {
        List<Leased> runs = queue.leased("h1", FEB, MAR, Duration.ofMinutes(5), "AAPL", "MSFT");
        Map<String, Object> request = batch(runs, "h1", FEB, MAR);
        post(request).statusCode(200);
        List<Map<String, Object>> before = db.query("SELECT * FROM job_runs ORDER BY symbol");
        List<Bar> bars = queue.storedBars("AAPL", "h1");

        post(request).statusCode(409).body("code", equalTo("STALE_LEASE"));

        assertThat(db.query("SELECT * FROM job_runs ORDER BY symbol")).isEqualTo(before);
        assertThat(queue.storedBars("AAPL", "h1")).isEqualTo(bars);
    }

    @Test
    void refetchingStoredBarsUnderANewLeaseRewritesNothing() {
        List<Leased> first = queue.leased("h1", FEB, MAR, Duration.ofMinutes(5), "NVDA");
        post(batch(first, "h1", FEB, MAR)).statusCode(200);
        Object fetchedAt =
                db.query("SELECT max(fetched_at) AS t FROM ohlc_bars").get(0).get("t");

        Leased again = queue.reclaim(first.get(0));
        post(batch(List.of(again), "h1", FEB, MAR))
                .statusCode(200)
                .body("results[0].status", equalTo("success"))
                .body("results[0].rows_written", equalTo(0))
                .body(
                        "results[0].bars_fetched",
                        equalTo(simulator.bars("NVDA", Timeframe.h1, FEB, MAR).size()));
        assertThat(db.query("SELECT max(fetched_at) AS t FROM ohlc_bars").get(0).get("t"))
                .isEqualTo(fetchedAt);
    }

    @Test
    void aStaleLeaseGets409AndLeavesTheNewerAttemptUntouched() {
        Leased old = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "TSLA").get(0);
        Leased newer = queue.reclaim(old);
        List<Map<String, Object>> before = db.query("SELECT * FROM job_runs");

        post(batch(List.of(old), "h1", JAN, FEB))
                .statusCode(409)
                .body("code", equalTo("STALE_LEASE"))
                .body("field", equalTo("lease_token"));

        assertThat(db.query("SELECT * FROM job_runs")).isEqualTo(before);
        assertThat(db.query("SELECT lease_token FROM job_runs").get(0).get("lease_token"))
                .isEqualTo(newer.token());
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
        assertThat(simulator.barRequests())
                .as("no provider call for a stale lease")
                .isZero();
    }

    @Test
    void aBatchWithOneStaleLeaseStoresTheOthers() {
        List<Leased> runs = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "AMD", "AMZN");
        queue.reclaim(runs.get(1));

        post(batch(runs, "h1", JAN, FEB))
                .statusCode(200)
                .body("results[0].status", equalTo("success"))
                .body("results[1].status", equalTo("conflict"))
                .body("results[1].error_code", equalTo("STALE_LEASE"));
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = 'AMZN'"))
                .isZero();
        assertThat(db.query("SELECT status FROM job_runs WHERE symbol = 'AMZN'")
                        .get(0)
                        .get("status"))
                .isEqualTo("running");
    }

    /**
     * The orchestrator fails the run a 400 names by job_run_id and index, and no other: it must not parse the
     * field.
     */
    @Test
    void a400AboutOneRunNamesThatRunsIdAndIndex() {
        List<Leased> runs = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "AAPL", "MSFT");
        Map<String, Object> ok = batch(runs, "h1", JAN, FEB);
        UUID unknown = UUID.randomUUID();

        post(with(ok, "symbols", List.of("AAPL", "US_BATCH_1")))
                .statusCode(400)
                .body("field", equalTo("symbols[1]"))
                .body("index", equalTo(1))
                .body("job_run_id", equalTo(runs.get(1).id().toString()));
        post(with(ok, "job_run_ids", List.of(runs.get(0).id().toString(), unknown.toString())))
                .statusCode(400)
                .body("field", equalTo("job_run_ids[1]"))
                .body("index", equalTo(1))
                .body("job_run_id", equalTo(unknown.toString()));
        post(with(ok, "symbols", List.of("MSFT", "AAPL")))
                .statusCode(400)
                .body("field", equalTo("symbols[0]"))
                .body("index", equalTo(0))
                .body("job_run_id", equalTo(runs.get(0).id().toString()));
        post(with(ok, "job_run_ids", List.of("not-a-uuid", runs.get(1).id().toString())))
                .statusCode(400)
                .body("field", equalTo("job_run_ids[0]"))
                .body("index", equalTo(0))
                .body("$", not(hasKey("job_run_id")));
        post(with(ok, "timeframe", "1h"))
                .statusCode(400)
                .body("field", equalTo("timeframe"))
                .body("$", not(hasKey("index")))
                .body("$", not(hasKey("job_run_id")));
        // the provider is the request's, as the feed and adjustment are: no run is named
        post(with(ok, "provider", "massive"))
                .statusCode(400)
                .body("field", equalTo("provider"))
                .body("$", not(hasKey("job_run_id")));
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'running'"))
                .isEqualTo(2);
    }

    @Test
    void malformedRequestsGet400NamingTheFieldAndWriteNothing() {
        List<Leased> runs = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "AAPL", "MSFT");
        Map<String, Object> ok = batch(runs, "h1", JAN, FEB);
        List<String> fiftyOne = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.add("AAPL");
        }
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("timeframe", with(ok, "timeframe", "1h"));
        cases.put("timeframe ", with(ok, "timeframe", null));
        cases.put("symbols", with(ok, "symbols", List.of()));
        cases.put("symbols  ", with(ok, "symbols", fiftyOne));
        cases.put(
                "job_run_ids", with(ok, "job_run_ids", List.of(runs.get(0).id().toString())));
        cases.put(
                "lease_tokens",
                with(ok, "lease_tokens", List.of(runs.get(0).token().toString())));
        cases.put("to", with(ok, "to", JAN.toString()));
        cases.put("from", with(ok, "from", "yesterday"));
        cases.put("symbols[1]", with(ok, "symbols", List.of("AAPL", "US_BATCH_1")));
        cases.put("symbols[1] ", with(ok, "symbols", List.of("AAPL", "aapl")));
        cases.put(
                "job_run_ids[0]",
                with(ok, "job_run_ids", List.of("not-a-uuid", runs.get(1).id().toString())));
        cases.put(
                "lease_tokens[1]",
                with(ok, "lease_tokens", List.of(runs.get(0).token().toString(), "")));
        cases.put(
                "job_run_ids[1]",
                with(
                        ok,
                        "job_run_ids",
                        List.of(runs.get(0).id().toString(), UUID.randomUUID().toString())));
        cases.put("symbols[0]", with(ok, "symbols", List.of("MSFT", "AAPL")));
        cases.put("symbols[0]  ", with(ok, "to", MAR.toString()));

        cases.forEach((field, body) ->
                post(body).statusCode(400).body("code", equalTo("BAD_INPUT")).body("field", equalTo(field.trim())));

        post("{\"symbols\": \"AAPL\"}").statusCode(400).body("field", equalTo("symbols"));
        post("{not json").statusCode(400).body("code", equalTo("BAD_INPUT"));

        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'running'"))
                .isEqualTo(2);
        assertThat(simulator.barRequests()).isZero();
    }

    @Test
    void missingOrWrongTokenGets401() {
        postAs(null, "{}").statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        postAs("wrong", "{}").statusCode(401);
    }

    @Test
    void everyHostileRequestIsRefusedWithTheJsonErrorBodyAndWritesNothing() {
        List<Leased> runs = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), "AAPL", "MSFT");
        Map<String, Object> valid = new LinkedHashMap<>();
        valid.put("job_run_ids", runs.stream().map(r -> r.id().toString()).toList());
        valid.put("lease_tokens", runs.stream().map(r -> r.token().toString()).toList());
        valid.put("symbols", runs.stream().map(Leased::symbol).toList());
        valid.put("timeframe", "h1");
        valid.put("from", JAN.toString());
        valid.put("to", FEB.toString());

        assertEveryHostileVariantRefused(valid);
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'running'"))
                .isEqualTo(2);
    }

    static Map<String, Object> batch(List<Leased> runs, String timeframe, Instant from, Instant to) {
        Map<String, Object> body = new HashMap<>();
        body.put("job_run_ids", runs.stream().map(r -> r.id().toString()).toList());
        body.put("lease_tokens", runs.stream().map(r -> r.token().toString()).toList());
        body.put("symbols", runs.stream().map(Leased::symbol).toList());
        body.put("timeframe", timeframe);
        body.put("from", from.toString());
        body.put("to", to.toString());
        return body;
    }
}
