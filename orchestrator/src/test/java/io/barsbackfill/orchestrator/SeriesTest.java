package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.barsbackfill.testing.QueueFixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * A series is one (feed, adjustment), end to end through the real fetchers: raw and split-adjusted AAPL of
 * 2020 (a 4:1 split on 31 August) are two series, both stored; a refresh fetches finished slices again and
 * writes only what changed; the audit finds nothing wrong with what the simulator served.
 */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class SeriesTest extends OrchestratorTestBase {

    private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2021-01-01T00:00:00Z");
    private static final Instant SPLIT = Instant.parse("2020-08-31T04:00:00Z"); // New York midnight

    @Test
    void twoDefinitionsDifferingOnlyInAdjustmentAreTwoSeriesBothKept() {
        enqueue("AAPL_RAW", null).body("feed", equalTo("iex")).body("adjustment", equalTo("raw"));
        enqueue("AAPL_SPLIT", "split").body("feed", equalTo("iex")).body("adjustment", equalTo("split"));
        tickUntilDone();

        List<Bar> raw = stored("AAPL", "raw");
        List<Bar> split = stored("AAPL", "split");
        assertThat(raw).hasSize(253).isEqualTo(simulator.bars("AAPL", Timeframe.d1, FROM, TO, "raw"));
        assertThat(split).hasSize(253).isEqualTo(simulator.bars("AAPL", Timeframe.d1, FROM, TO, "split"));
        for (int i = 0; i < raw.size(); i++) {
            Bar r = raw.get(i);
            Bar s = split.get(i);
            if (r.ts().isBefore(SPLIT)) {
                assertThat(r.close())
                        .as("raw close before the split, %s", r.ts())
                        .isCloseTo(4 * s.close(), Offset.offset(0.0001));
            } else {
                assertThat(r).isEqualTo(s);
            }
        }
        assertThat(runs("true"))
                .hasSize(2)
                .extracting(r -> r.get("adjustment") + " " + r.get("status"))
                .containsExactlyInAnyOrder("raw success", "split success");

        action("status")
                .statusCode(200)
                .body("definitions.find { it.name == 'AAPL_SPLIT' }.adjustment", equalTo("split"))
                .body("definitions.find { it.name == 'AAPL_RAW' }.adjustment", equalTo("raw"));

        // enqueueing the raw series again under another name asks for no new work
        enqueue("AAPL_RAW_AGAIN", "raw");
        action("tick").statusCode(200).body("slices_created", equalTo(0));
        assertThat(count("SELECT count(*) FROM job_definition_runs")).isEqualTo(3);
    }

    @Test
    void refreshFetchesFinishedSlicesAgainAndWritesOnlyTheBarsThatChanged() {
        enqueue("AAPL_SPLIT", "split");
        tickUntilDone();
        // two bars the provider has since corrected (here: the stored ones are made stale)
        db.execute("""
                UPDATE ohlc_bars SET close = close * 0.99, low = low * 0.5
                WHERE symbol = 'AAPL' AND adjustment = 'split'
                  AND ts IN ('2020-03-02T05:00:00Z', '2020-11-02T05:00:00Z')""");
        assertThat(stored("AAPL", "split")).isNotEqualTo(simulator.bars("AAPL", Timeframe.d1, FROM, TO, "split"));

        orchestrator(Map.of("action", "refresh", "definition", "AAPL_SPLIT", "since", "2020-06-01"))
                .statusCode(200)
                .body("action", equalTo("refresh"))
                .body("runs_changed", equalTo(1));
        assertThat(runs("true"))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("status", "queued").containsEntry("attempt", 0));
        action("status")
                .statusCode(200)
                .body("definitions[0].refresh.runs", equalTo(1))
                .body("definitions[0].refresh.pending", equalTo(1));
        tickUntilDone();

        assertThat(stored("AAPL", "split")).isEqualTo(simulator.bars("AAPL", Timeframe.d1, FROM, TO, "split"));
        assertThat(runs("true"))
                .singleElement()
                .satisfies(r -> assertThat(r)
                        .containsEntry("status", "success")
                        .containsEntry("rows_written", 2)
                        .containsEntry("bars_fetched", 253));
        action("status")
                .statusCode(200)
                .body("definitions[0].refresh.pending", equalTo(0))
                .body("definitions[0].refresh.bars_changed", equalTo(2));

        // nothing changed since: a second refresh writes nothing
        orchestrator(Map.of("action", "refresh", "definition", "AAPL_SPLIT"))
                .statusCode(200)
                .body("runs_changed", equalTo(1));
        tickUntilDone();
        action("status").statusCode(200).body("definitions[0].refresh.bars_changed", equalTo(0));

        orchestrator(Map.of("action", "refresh", "definition", "NOPE"))
                .statusCode(400)
                .body("field", equalTo("definition"));
        orchestrator(Map.of("action", "refresh", "definition", "AAPL_SPLIT", "since", "June"))
                .statusCode(400)
                .body("field", equalTo("since"));
    }

    @Test
    void theAuditOfWhatTheProviderServedFindsNoUnexplainedGapsNorDuplicates() {
        enqueue("AAPL_SPLIT", "split");
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "HOURLY",
                        "symbols",
                        List.of("MSFT", "VOXX"),
                        "timeframe",
                        "h1",
                        "from",
                        "2024-01-01T00:00:00Z",
                        "to",
                        "2024-03-01T00:00:00Z"))
                .statusCode(200);
        tickUntilDone();

        orchestrator(Map.of("action", "audit", "definition", "AAPL_SPLIT"))
                .statusCode(200)
                .body("definition", equalTo("AAPL_SPLIT"))
                .body("adjustment", equalTo("split"))
                .body("runs", equalTo(1))
                .body("sessions_expected", equalTo(253))
                .body("bars_stored", equalTo(253))
                .body("slots_without_bar", equalTo(0))
                .body("unexplained_gaps", equalTo(0))
                .body("duplicates", equalTo(0))
                .body("empty_runs", equalTo(0));
        // no definition: every finished run of the default series (iex/raw), here the hourly one
        orchestrator(Map.of("action", "audit"))
                .statusCode(200)
                .body("definition", nullValue())
                .body("runs", equalTo(4))
                .body("sessions_expected", equalTo(2 * 41))
                .body("unexplained_gaps", equalTo(0))
                .body("duplicates", equalTo(0))
                .body("summary", containsString("0 unexplained gaps, 0 duplicates"));
        // VOXX: the provider leaves out vw and n, and they are stored as NULL, not 0
        assertThat(count("SELECT count(*) FROM ohlc_bars WHERE symbol = 'VOXX'"))
                .isPositive();
        assertThat(count("SELECT count(*) FROM ohlc_bars WHERE symbol = 'VOXX' AND (vwap IS NOT NULL OR "
                        + "trade_count IS NOT NULL)"))
                .isZero();
        assertThat(count("SELECT count(*) FROM ohlc_bars WHERE symbol = 'MSFT' AND (vwap IS NULL OR "
                        + "trade_count IS NULL)"))
                .isZero();

        // break things on purpose: a missing session, a bar shifted by a timezone error, a second bar in one slot
        db.execute("DELETE FROM ohlc_bars WHERE symbol = 'MSFT' AND ts >= '2024-02-14T09:00Z' AND ts < "
                + "'2024-02-15T01:00Z'");
        db.execute("""
                UPDATE ohlc_bars SET ts = ts - interval '5 hours'
                WHERE symbol = 'MSFT' AND timeframe = 'h1' AND ts = '2024-02-20T09:00Z'""");
        db.execute("""
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, provider, feed,
                    adjustment)
                VALUES ('MSFT', 'h1', '2024-02-21T15:30Z', 400, 401, 399, 400, 100, 'alpaca', 'iex', 'raw')""");
        orchestrator(Map.of("action", "audit", "definition", "HOURLY"))
                .statusCode(200)
                .body("unexplained_sessions", equalTo(1))
                .body("bars_outside_session", equalTo(1))
                .body("unexplained_gaps", equalTo(2))
                .body("duplicates", equalTo(1))
                .body("findings.size()", equalTo(1))
                .body("findings[0].symbol", equalTo("MSFT"))
                .body("findings[0].slice_from", equalTo("2024-02-01T00:00:00Z"));
        // an empty successful run on trading days: a renamed or delisted ticker
        db.execute("DELETE FROM ohlc_bars WHERE symbol = 'VOXX' AND ts < '2024-02-01T00:00Z'");
        orchestrator(Map.of("action", "audit", "definition", "HOURLY"))
                .statusCode(200)
                .body("empty_runs", equalTo(1));
    }

    @Test
    void aSeriesOutsideTheClosedSetsIsRefusedNamingItsField() {
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "X",
                        "symbols",
                        List.of("AAPL"),
                        "timeframe",
                        "d1",
                        "from",
                        "2020-01-01T00:00:00Z",
                        "adjustment",
                        "splits"))
                .statusCode(400)
                .body("field", equalTo("adjustment"))
                .body("code", equalTo("BAD_INPUT"));
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "X",
                        "symbols",
                        List.of("AAPL"),
                        "timeframe",
                        "d1",
                        "from",
                        "2020-01-01T00:00:00Z",
                        "feed",
                        "nasdaq"))
                .statusCode(400)
                .body("field", equalTo("feed"));
        // a misspelt option is refused, never dropped
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "X",
                        "symbols",
                        List.of("AAPL"),
                        "timeframe",
                        "d1",
                        "from",
                        "2020-01-01T00:00:00Z",
                        "adjustmnet",
                        "split"))
                .statusCode(400)
                .body("field", equalTo("adjustmnet"))
                .body("error", containsString("unknown field"));
        // a known field the action does not use is refused too
        orchestrator(Map.of("action", "status", "adjustment", "split"))
                .statusCode(400)
                .body("field", equalTo("adjustment"));
        orchestrator(Map.of("action", "audit", "definition", "X", "feed", "sip"))
                .statusCode(400)
                .body("field", equalTo("feed"));
        assertThat(count("SELECT count(*) FROM job_definitions")).isZero();
    }

    private ValidatableResponse enqueue(String name, String adjustment) {
        Map<String, Object> body = body(
                "action",
                "enqueue",
                "name",
                name,
                "symbols",
                List.of("AAPL"),
                "timeframe",
                "d1",
                "from",
                FROM.toString(),
                "to",
                TO.toString());
        if (adjustment != null) {
            body.put("adjustment", adjustment);
        }
        return orchestrator(body).statusCode(200);
    }

    private List<Bar> stored(String symbol, String adjustment) {
        return new QueueFixtures(db).storedBarsInSeries(Series.alpaca("iex", adjustment), symbol, "d1", FROM, TO);
    }
}
