package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** enqueue against the market simulator as provider (its universe: the original's 61 tickers and a few more). */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class EnqueueTest extends OrchestratorTestBase {

    @Test
    void createsADefinitionOfKnownTickersAndSaysWhatItWillPlan() {
        String id = orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "US_BATCH_1",
                        "symbols",
                        List.of("aapl", " msft ", "brk/b"),
                        "timeframe",
                        "h1",
                        "from",
                        "2024-01-01T00:00:00Z",
                        "to",
                        "2024-04-01T00:00:00Z",
                        "priority",
                        150))
                .statusCode(200)
                .body("name", equalTo("US_BATCH_1"))
                .body("symbols", equalTo(List.of("AAPL", "MSFT", "BRK.B")))
                .body("timeframe", equalTo("h1"))
                .body("window_from", equalTo("2024-01-01T00:00:00Z"))
                .body("window_to", equalTo("2024-04-01T00:00:00Z"))
                .body("priority", equalTo(150))
                .body("enabled", equalTo(true))
                .body("slices", equalTo(3))
                .body("runs", equalTo(9))
                .body("skipped", equalTo(List.of()))
                .extract()
                .path("id");

        Map<String, Object> row = db.query(
                        "SELECT id::text AS id, symbols::text AS symbols, timeframe, priority FROM job_definitions")
                .get(0);
        assertThat(row)
                .containsEntry("id", id)
                .containsEntry("symbols", "{AAPL,MSFT,BRK.B}")
                .containsEntry("timeframe", "h1")
                .containsEntry("priority", 150);
        assertThat(db.query("SELECT symbol, status FROM symbols ORDER BY symbol"))
                .extracting(r -> r.get("symbol") + "=" + r.get("status"))
                .containsExactly("AAPL=valid", "BRK.B=valid", "MSFT=valid");
        assertThat(count("SELECT count(*) FROM job_runs"))
                .as("ticks plan, enqueue does not")
                .isZero();

        action("tick").statusCode(200).body("slices_created", equalTo(9));
    }

    @Test
    void anOpenWindowPlansUpToTheLastClosedSession() {
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "OPEN",
                        "symbols",
                        List.of("SPY"),
                        "timeframe",
                        "d1",
                        "from",
                        "2020-01-01T00:00:00Z"))
                .statusCode(200)
                .body("window_to", nullValue())
                .body("priority", equalTo(100))
                .body("slices_ready", equalTo(6)); // 2020..2025; 2026 is in progress
    }

    @Test
    void anUnknownTickerIsNamedAndRememberedAndNothingIsCreated() {
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "BAD",
                        "symbols",
                        List.of("AAPL", "ZZZZ", "MSFT", "QQQQ"),
                        "timeframe",
                        "d1",
                        "from",
                        "2024-01-01T00:00:00Z"))
                .statusCode(400)
                .body("code", equalTo("BAD_INPUT"))
                .body("field", equalTo("symbols[1]"))
                .body("error", containsString("ZZZZ"))
                .body("error", containsString("symbols[3]=QQQQ"));

        assertThat(count("SELECT count(*) FROM job_definitions")).isZero();
        assertThat(db.query("SELECT symbol, status FROM symbols ORDER BY symbol"))
                .extracting(r -> r.get("symbol") + "=" + r.get("status"))
                .containsExactly("AAPL=valid", "MSFT=valid", "QQQQ=invalid", "ZZZZ=invalid");
    }

    @Test
    void tickersConfirmedRecentlyAreNotAskedAgain() {
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "FIRST",
                        "symbols",
                        List.of("AAPL", "MSFT"),
                        "timeframe",
                        "d1",
                        "from",
                        "2024-01-01T00:00:00Z"))
                .statusCode(200);
        long calls = simulator.barRequests();
        assertThat(calls).isPositive();

        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "SECOND",
                        "symbols",
                        List.of("MSFT", "AAPL"),
                        "timeframe",
                        "h1",
                        "from",
                        "2024-01-01T00:00:00Z"))
                .statusCode(200);
        assertThat(simulator.barRequests()).isEqualTo(calls);

        db.execute("UPDATE symbols SET checked_at = now() - interval '25 hours' WHERE symbol = 'MSFT'");
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "THIRD",
                        "symbols",
                        List.of("MSFT", "AAPL"),
                        "timeframe",
                        "m15",
                        "from",
                        "2024-01-01T00:00:00Z"))
                .statusCode(200);
        assertThat(simulator.barRequests()).isEqualTo(calls + 1);
    }

    @Test
    void aNameIsUsedOnce() {
        Map<String, Object> request = Map.of(
                "action",
                "enqueue",
                "name",
                "ONCE",
                "symbols",
                List.of("AAPL"),
                "timeframe",
                "d1",
                "from",
                "2024-01-01T00:00:00Z");
        orchestrator(request).statusCode(200);
        orchestrator(request).statusCode(400).body("field", equalTo("name")).body("error", containsString("exists"));
        assertThat(count("SELECT count(*) FROM job_definitions")).isEqualTo(1);
    }

    @Test
    void skipEnqueuesTheKnownTickersAndListsTheOthersWithTheProvidersReason() {
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "SKIPPING",
                        "symbols",
                        List.of("AAPL", "ZZZZ", "MSFT", "QQQQ"),
                        "timeframe",
                        "h1",
                        "from",
                        "2024-01-01T00:00:00Z",
                        "to",
                        "2024-04-01T00:00:00Z",
                        "on_unknown",
                        "skip"))
                .statusCode(200)
                .body("symbols", equalTo(List.of("AAPL", "MSFT")))
                .body("runs", equalTo(6))
                .body("skipped.symbol", equalTo(List.of("ZZZZ", "QQQQ")))
                .body("skipped[0].reason", containsString("invalid symbol: ZZZZ"))
                .body("skipped[1].reason", containsString("invalid symbol: QQQQ"));

        assertThat(db.query("SELECT symbols::text AS symbols FROM job_definitions")
                        .get(0))
                .containsEntry("symbols", "{AAPL,MSFT}");
        assertThat(simulator.barRequests())
                .as("one request, then one per unknown ticker")
                .isEqualTo(3);
        action("tick").statusCode(200).body("slices_created", equalTo(6));
    }

    @Test
    void skipWithNoKnownTickerIsBadInputNamingSymbols() {
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "NONE",
                        "symbols",
                        List.of("ZZZZ", "QQQQ"),
                        "timeframe",
                        "d1",
                        "from",
                        "2024-01-01T00:00:00Z",
                        "on_unknown",
                        "skip"))
                .statusCode(400)
                .body("field", equalTo("symbols"))
                .body("error", containsString("ZZZZ, QQQQ"));
        assertThat(count("SELECT count(*) FROM job_definitions")).isZero();
    }

    @Test
    void theDemosSixtyOneTickersCostOneProbeRequestPerDefinitionPlusOnePerUnknownTickerThenNone() {
        List<String> original = SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 61);
        List<String> second = new ArrayList<>(original.subList(50, 61));
        second.add(5, "ZZZZ");
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "US_BATCH_1",
                        "symbols",
                        original.subList(0, 50),
                        "timeframe",
                        "h1",
                        "from",
                        "2024-01-01T00:00:00Z",
                        "to",
                        "2026-01-10T00:00:00Z"))
                .statusCode(200);
        assertThat(simulator.barRequests())
                .as("50 unchecked tickers, one request")
                .isEqualTo(1);
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "US_BATCH_2",
                        "symbols",
                        second,
                        "timeframe",
                        "h1",
                        "from",
                        "2024-01-01T00:00:00Z",
                        "to",
                        "2026-01-10T00:00:00Z",
                        "on_unknown",
                        "skip"))
                .statusCode(200)
                .body("symbols.size()", equalTo(11))
                .body("skipped.symbol", equalTo(List.of("ZZZZ")));
        assertThat(simulator.barRequests())
                .as("one request finds ZZZZ, one confirms the other 11")
                .isEqualTo(3);

        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "AGAIN",
                        "symbols",
                        second,
                        "timeframe",
                        "d1",
                        "from",
                        "2024-01-01T00:00:00Z",
                        "on_unknown",
                        "skip"))
                .statusCode(200)
                .body("skipped[0].reason", containsString("ZZZZ"));
        orchestrator(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "REJECTED",
                        "symbols",
                        second,
                        "timeframe",
                        "d1",
                        "from",
                        "2024-01-01T00:00:00Z"))
                .statusCode(400)
                .body("field", equalTo("symbols[5]"))
                .body("error", containsString("on_unknown"));
        assertThat(simulator.barRequests())
                .as("checked tickers, known or not, are not asked about again")
                .isEqualTo(3);
    }
}
