package io.barsbackfill.orchestrator;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code compare}: two definitions' series bar by bar, here the same tickers from two providers. Alpaca's and
 * Massive's daily AAPL for January 2024 agree on the 2nd, differ within the tolerance on the 3rd, Massive lacks the
 * 4th and the 5th's closes are 1% apart; MSFT's Massive run has not finished, so its slice is not compared.
 */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class CompareTest extends OrchestratorTestBase {

    static final String JAN = "2024-01-01T00:00:00Z";
    static final String FEB = "2024-02-01T00:00:00Z";

    @BeforeEach
    void twoSeries() {
        db.execute("TRUNCATE job_definitions, job_runs, ohlc_bars CASCADE");
        UUID alpaca = definition("ALPACA", "d1", JAN, FEB, 100, "AAPL", "MSFT");
        UUID massive = definition("MASSIVE", "d1", JAN, FEB, 100, "AAPL", "MSFT", "IBM");
        db.execute("UPDATE job_definitions SET feed = 'sip' WHERE id = ?", alpaca);
        db.execute("UPDATE job_definitions SET provider = 'massive', feed = 'sip' WHERE id = ?", massive);
        run("AAPL", "alpaca", "success");
        run("AAPL", "massive", "success");
        run("MSFT", "alpaca", "success");
        run("MSFT", "massive", "queued");

        bar("AAPL", "alpaca", "2024-01-02", 100.0, 1000);
        bar("AAPL", "massive", "2024-01-02", 100.0, 1000);
        bar("AAPL", "alpaca", "2024-01-03", 100.0, 1000);
        bar("AAPL", "massive", "2024-01-03", 100.000_1, 1000); // one part in a million apart
        bar("AAPL", "alpaca", "2024-01-04", 101.0, 1000); // Massive lacks the 4th
        bar("AAPL", "alpaca", "2024-01-05", 100.0, 1000);
        bar("AAPL", "massive", "2024-01-05", 101.0, 1000); // 1% apart
        bar("MSFT", "alpaca", "2024-01-02", 300.0, 500); // its Massive run is queued: not compared
    }

    @Test
    void reportsTheSessionsWhereOneSeriesLacksABarAndTheBarsApartBeyondTheTolerance() {
        orchestrator(body("action", "compare", "definition", "ALPACA", "with", "MASSIVE"))
                .statusCode(200)
                .body("series", equalTo("alpaca/sip/raw"))
                .body("with_series", equalTo("massive/sip/raw"))
                .body("symbols", equalTo(List.of("AAPL", "MSFT")))
                .body("slices_compared", equalTo(1))
                .body("slices_not_finished", equalTo(1))
                .body("sessions_differing", equalTo(2))
                .body("bars_only_in_definition", equalTo(1))
                .body("bars_only_in_with", equalTo(0))
                .body("bars_differing", equalTo(1))
                .body("sessions", hasSize(2))
                .body("sessions[0].symbol", equalTo("AAPL"))
                .body("sessions[0].day", equalTo("2024-01-04"))
                .body("sessions[0].bars_only_in_definition", equalTo(1))
                .body("sessions[0].first_differing", nullValue())
                .body("sessions[1].day", equalTo("2024-01-05"))
                .body("sessions[1].bars_differing", equalTo(1))
                .body("sessions[1].first_differing", equalTo("2024-01-05T05:00:00Z"))
                .body("summary", containsString("1 slices compared, 1 not finished in both; 2 sessions differ"));
    }

    @Test
    void aWiderToleranceLeavesOnlyTheMissingBarAndTheOtherDirectionSwapsTheSides() {
        orchestrator(body("action", "compare", "definition", "MASSIVE", "with", "ALPACA", "tolerance", 0.02))
                .statusCode(200)
                .body("sessions_differing", equalTo(1))
                .body("bars_only_in_definition", equalTo(0))
                .body("bars_only_in_with", equalTo(1))
                .body("bars_differing", equalTo(0))
                .body("sessions[0].day", equalTo("2024-01-04"));
    }

    @Test
    void refusesWhatItCannotCompareNamingTheField() {
        orchestrator(body("action", "compare", "definition", "ALPACA"))
                .statusCode(400)
                .body("field", equalTo("with"));
        orchestrator(body("action", "compare", "definition", "ALPACA", "with", "NOPE"))
                .statusCode(400)
                .body("field", equalTo("with"))
                .body("error", containsString("NOPE"));
        orchestrator(body("action", "compare", "definition", "NOPE", "with", "ALPACA"))
                .statusCode(400)
                .body("field", equalTo("definition"));
        orchestrator(body("action", "compare", "definition", "ALPACA", "with", "ALPACA"))
                .statusCode(400)
                .body("field", equalTo("with"));
        definition("HOURLY", "h1", JAN, FEB, 100, "AAPL");
        orchestrator(body("action", "compare", "definition", "ALPACA", "with", "HOURLY"))
                .statusCode(400)
                .body("field", equalTo("with"))
                .body("error", containsString("same timeframe"));
        orchestrator(body("action", "compare", "definition", "ALPACA", "with", "MASSIVE", "tolerance", 1.5))
                .statusCode(400)
                .body("field", equalTo("tolerance"));
        orchestrator(body("action", "compare", "definition", "ALPACA", "with", "MASSIVE", "feed", "sip"))
                .statusCode(400)
                .body("field", equalTo("feed"));
    }

    private void run(String symbol, String provider, String status) {
        db.execute("""
                INSERT INTO job_runs (symbol, timeframe, feed, adjustment, provider, slice_from, slice_to, status,
                                      finished_at)
                VALUES (?, 'd1', 'sip', 'raw', ?, ?::timestamptz, ?::timestamptz, ?,
                        CASE WHEN ? = 'success' THEN now() END)""", symbol, provider, JAN, FEB, status, status);
    }

    private void bar(String symbol, String provider, String day, double close, long volume) {
        db.execute("""
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, provider, feed,
                                       adjustment)
                VALUES (?, 'd1', (?::date)::timestamp AT TIME ZONE 'America/New_York', 100, 102, 99, ?, ?,
                        ?, 'sip', 'raw')""", symbol, day, close, volume, provider);
    }
}
