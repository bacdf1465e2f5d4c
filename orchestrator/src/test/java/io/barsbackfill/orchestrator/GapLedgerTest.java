package io.barsbackfill.orchestrator;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Completeness as users see it: {@code status} counts per definition the sessions holding bars of those
 * expected, and {@code audit} classes every session without a bar (not listed, verified no trades, provider
 * hole, unverified), counting only the unverified ones and the holes as unexplained.
 */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class GapLedgerTest extends OrchestratorTestBase {

    @Test
    void statusCountsSessionsAndTheAuditClassesEverySessionWithoutABar() {
        enqueue("HOURLY", "h1");
        enqueue("DAILY", "d1");
        tickUntilDone();

        // Q1 2024: 21 + 20 + 20 sessions (New Year, MLK Day, Presidents' Day, Good Friday closed), two tickers
        action("status")
                .statusCode(200)
                .body("definitions.find { it.name == 'HOURLY' }.completeness.sessions_expected", equalTo(122))
                .body("definitions.find { it.name == 'HOURLY' }.completeness.sessions_with_bars", equalTo(122))
                .body("definitions.find { it.name == 'HOURLY' }.completeness.percent", equalTo(100.0f))
                .body("definitions.find { it.name == 'HOURLY' }.completeness.runs_verified", equalTo(0))
                .body("definitions.find { it.name == 'DAILY' }.completeness.sessions_expected", equalTo(2 * 252));
        orchestrator(Map.of("action", "audit", "definition", "HOURLY"))
                .statusCode(200)
                .body("unexplained_gaps", equalTo(0))
                .body("gaps.not_listed", equalTo(0))
                .body("gaps.unverified", equalTo(0));

        // break things on purpose, one class each (sessions of MSFT's hourly bars):
        // - 14 Feb: confirmed empty by a verification (the ledger), yet the daily series holds a bar: a provider hole
        // - 15 Feb: confirmed empty, no other evidence: no trades
        // - 16 Feb: nothing checked it: unverified
        // - AAPL's January: before its first bar: not listed yet (21 sessions)
        deleteSession("MSFT", "h1", "2024-02-14");
        deleteSession("MSFT", "h1", "2024-02-15");
        deleteSession("MSFT", "d1", "2024-02-15");
        deleteSession("MSFT", "h1", "2024-02-16");
        // (by New York date: 31 January's late extended hours lie past midnight UTC)
        db.execute("DELETE FROM ohlc_bars WHERE symbol = 'AAPL' AND timeframe = 'h1'"
                + " AND (ts AT TIME ZONE 'America/New_York')::date < '2024-02-01'");
        db.execute("""
                INSERT INTO verified_gaps (symbol, provider, feed, adjustment, timeframe, day)
                VALUES ('MSFT', 'alpaca', 'iex', 'raw', 'h1', '2024-02-14'),
                       ('MSFT', 'alpaca', 'iex', 'raw', 'h1', '2024-02-15')""");

        orchestrator(Map.of("action", "audit", "definition", "HOURLY"))
                .statusCode(200)
                .body("gaps.not_listed", equalTo(21))
                .body("gaps.no_trades", equalTo(1))
                .body("gaps.provider_holes", equalTo(1))
                .body("gaps.unverified", equalTo(1))
                .body("unexplained_sessions", equalTo(2))
                .body("unexplained_gaps", equalTo(2))
                .body("symbols.find { it.symbol == 'MSFT' }.gaps.provider_holes", equalTo(1))
                .body("findings.find { it.symbol == 'MSFT' }.gaps.unverified", equalTo(1))
                .body("summary", containsString("21 not listed, 1 verified no trades, 1 provider holes, 1 unverified"));
    }

    private void enqueue(String name, String timeframe) {
        orchestrator(body(
                        "action",
                        "enqueue",
                        "name",
                        name,
                        "symbols",
                        List.of("AAPL", "MSFT"),
                        "timeframe",
                        timeframe,
                        "from",
                        "2024-01-01T00:00:00Z",
                        "to",
                        "2024-04-01T00:00:00Z"))
                .statusCode(200);
    }

    /** Every bar of {@code symbol} in {@code timeframe} on that New York day. */
    private void deleteSession(String symbol, String timeframe, String day) {
        db.execute("""
                DELETE FROM ohlc_bars WHERE symbol = ? AND timeframe = ?::timeframe
                  AND (ts AT TIME ZONE 'America/New_York')::date = ?::date""", symbol, timeframe, day);
    }
}
