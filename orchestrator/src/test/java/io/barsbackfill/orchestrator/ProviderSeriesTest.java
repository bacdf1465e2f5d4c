package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The provider is part of a series: {@code enqueue} takes one (by default the settings' {@code alpaca}), with
 * that provider's default feed and adjustment, and refuses a feed or adjustment the provider does not serve; a
 * Massive and an Alpaca definition of the same tickers plan runs of their own, and an operator command on the
 * Alpaca one (refresh, remove with its bars) leaves the Massive series alone.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class ProviderSeriesTest extends OrchestratorTestBase {

    @Test
    void enqueueTakesAProviderWithItsOwnDefaultsAndRefusesWhatItDoesNotServe() {
        enqueue("AAPL_ALPACA", Map.of())
                .statusCode(200)
                .body("provider", equalTo("alpaca"))
                .body("feed", equalTo("iex"))
                .body("adjustment", equalTo("raw"));
        enqueue("AAPL_MASSIVE", Map.of("provider", "massive"))
                .statusCode(200)
                .body("provider", equalTo("massive"))
                .body("feed", equalTo("sip"))
                .body("adjustment", equalTo("raw"));
        enqueue("AAPL_MASSIVE_SPLIT", Map.of("provider", "massive", "feed", "sip", "adjustment", "split"))
                .statusCode(200)
                .body("adjustment", equalTo("split"));

        enqueue("BAD", Map.of("provider", "polygon"))
                .statusCode(400)
                .body("field", equalTo("provider"))
                .body("error", containsString("alpaca massive"));
        enqueue("BAD", Map.of("provider", "massive", "feed", "iex"))
                .statusCode(400)
                .body("field", equalTo("feed"))
                .body("error", containsString("for provider massive"));
        enqueue("BAD", Map.of("provider", "massive", "adjustment", "dividend"))
                .statusCode(400)
                .body("field", equalTo("adjustment"));
        assertThat(db.query("SELECT name, provider, feed, adjustment FROM job_definitions ORDER BY name"))
                .extracting(
                        r -> r.get("name") + " " + r.get("provider") + "/" + r.get("feed") + "/" + r.get("adjustment"))
                .containsExactly(
                        "AAPL_ALPACA alpaca/iex/raw",
                        "AAPL_MASSIVE massive/sip/raw",
                        "AAPL_MASSIVE_SPLIT massive/sip/split");
        assertThat(db.query("SELECT provider, symbol, status FROM symbols ORDER BY provider, symbol"))
                .as("the ticker cache answers per provider: Massive's was asked for, not taken from Alpaca's")
                .extracting(r -> r.get("provider") + " " + r.get("symbol") + " " + r.get("status"))
                .containsExactly("alpaca AAPL valid", "alpaca MSFT valid", "massive AAPL valid", "massive MSFT valid");

        action("status")
                .statusCode(200)
                .body("definitions.find { it.name == 'AAPL_MASSIVE' }.provider", equalTo("massive"))
                .body("definitions.find { it.name == 'AAPL_ALPACA' }.provider", equalTo("alpaca"));
        orchestrator(Map.of("action", "audit", "provider", "massive"))
                .statusCode(200)
                .body("provider", equalTo("massive"))
                .body("feed", equalTo("sip"))
                .body("adjustment", equalTo("raw"))
                .body("summary", containsString("(massive/sip/raw)"));
        orchestrator(Map.of("action", "audit", "definition", "AAPL_MASSIVE", "provider", "massive"))
                .statusCode(400)
                .body("field", equalTo("provider"));
    }

    @Test
    void anAlpacaDefinitionsRunsRefreshAndRemovalLeaveTheMassiveSeriesOfTheSameTickersAlone() {
        enqueue("AAPL_ALPACA", Map.of("feed", "sip")).statusCode(200);
        enqueue("AAPL_MASSIVE", Map.of("provider", "massive")).statusCode(200);
        action("tick").statusCode(200);
        assertThat(runs("true"))
                .as("same tickers, slice, feed and adjustment: a run per provider")
                .extracting(r -> r.get("symbol") + " " + r.get("provider") + "/" + r.get("feed"))
                .containsExactlyInAnyOrder(
                        "AAPL alpaca/sip", "AAPL massive/sip", "MSFT alpaca/sip", "MSFT massive/sip");
        // both series fetched: every run a success, and a bar of each provider at the same times
        db.execute("""
                UPDATE job_runs SET status = 'success', finished_at = now(), lease_token = NULL,
                    lease_expires_at = NULL""");
        db.execute("""
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, provider, feed,
                                       adjustment, fetched_at)
                SELECT s, 'd1', d, 10, 11, 9, 10, 100, p, 'sip', 'raw', '2024-02-02Z'
                FROM unnest('{AAPL,MSFT}'::text[]) AS s, unnest('{alpaca,massive}'::text[]) AS p,
                     unnest('{2024-01-02T05:00Z,2024-01-03T05:00Z}'::timestamptz[]) AS d""");
        List<Map<String, Object>> massiveBars = bars("massive");
        List<Map<String, Object>> massiveRuns = runs("provider = 'massive'");

        orchestrator(Map.of("action", "refresh", "definition", "AAPL_ALPACA"))
                .statusCode(200)
                .body("runs_changed", equalTo(2));
        assertThat(runs("true"))
                .extracting(r -> r.get("provider") + " " + r.get("status"))
                .containsExactlyInAnyOrder("alpaca queued", "alpaca queued", "massive success", "massive success");
        orchestrator(Map.of("action", "remove", "definition", "AAPL_ALPACA", "delete_bars", true))
                .statusCode(200);

        assertThat(bars("alpaca")).isEmpty();
        assertThat(bars("massive")).hasSize(4).isEqualTo(massiveBars);
        assertThat(runs("provider = 'massive'")).isEqualTo(massiveRuns);
    }

    private List<Map<String, Object>> bars(String provider) {
        return db.query("SELECT * FROM ohlc_bars WHERE provider = ? ORDER BY symbol, ts", provider);
    }

    private static ValidatableResponse enqueue(String name, Map<String, String> series) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "action",
                "enqueue",
                "name",
                name,
                "symbols",
                List.of("AAPL", "MSFT"),
                "timeframe",
                "d1",
                "from",
                "2024-01-01T00:00:00Z",
                "to",
                "2024-02-01T00:00:00Z"));
        body.putAll(series);
        return orchestrator(body);
    }
}
