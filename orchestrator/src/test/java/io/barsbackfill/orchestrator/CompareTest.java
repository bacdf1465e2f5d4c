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
 * {@code compare}: two definitions' series bar by bar. Two daily series of AAPL for January 2024 that agree on
 * the 2nd, disagree within the tolerance on the 3rd, where the second series lacks the 4th and where the 5th's
 * close is 1% apart; MSFT's second-series run has not finished, so its slice is not compared.
 */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class CompareTest extends OrchestratorTestBase {

    static final String JAN = "2024-01-01T00:00:00Z";
    static final String FEB = "2024-02-01T00:00:00Z";

    @BeforeEach
    void twoSeries() {
        db.execute("TRUNCATE job_definitions, job_runs, ohlc_bars CASCADE");
        definition("IEX", "d1", JAN, FEB, 100, "AAPL", "MSFT");
        UUID sip = definition("SIP", "d1", JAN, FEB, 100, "AAPL", "MSFT", "IBM");
        db.execute("UPDATE job_definitions SET feed = 'sip' WHERE id = ?", sip);
        run("AAPL", "iex", "success");
        run("AAPL", "sip", "success");
        run("MSFT", "iex", "success");
        run("MSFT", "sip", "queued");

        bar("AAPL", "iex", "2024-01-02", 100.0, 1000);
        bar("AAPL", "sip", "2024-01-02", 100.0, 1000);
        bar("AAPL", "iex", "2024-01-03", 100.0, 1000);
        bar("AAPL", "sip", "2024-01-03", 100.000_1, 1000); // one part in a million apart
        bar("AAPL", "iex", "2024-01-04", 101.0, 1000); // the sip series lacks the 4th
        bar("AAPL", "iex", "2024-01-05", 100.0, 1000);
        bar("AAPL", "sip", "2024-01-05", 101.0, 1000); // 1% apart
        bar("MSFT", "iex", "2024-01-02", 300.0, 500); // its sip run is queued: not compared
    }

    @Test
    void reportsTheSessionsWhereOneSeriesLacksABarAndTheBarsApartBeyondTheTolerance() {
        orchestrator(body("action", "compare", "definition", "IEX", "with", "SIP"))
                .statusCode(200)
                .body("series", equalTo("alpaca/iex/raw"))
                .body("with_series", equalTo("alpaca/sip/raw"))
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
        orchestrator(body("action", "compare", "definition", "SIP", "with", "IEX", "tolerance", 0.02))
                .statusCode(200)
                .body("sessions_differing", equalTo(1))
                .body("bars_only_in_definition", equalTo(0))
                .body("bars_only_in_with", equalTo(1))
                .body("bars_differing", equalTo(0))
                .body("sessions[0].day", equalTo("2024-01-04"));
    }

    @Test
    void refusesWhatItCannotCompareNamingTheField() {
        orchestrator(body("action", "compare", "definition", "IEX"))
                .statusCode(400)
                .body("field", equalTo("with"));
        orchestrator(body("action", "compare", "definition", "IEX", "with", "NOPE"))
                .statusCode(400)
                .body("field", equalTo("with"))
                .body("error", containsString("NOPE"));
        orchestrator(body("action", "compare", "definition", "NOPE", "with", "IEX"))
                .statusCode(400)
                .body("field", equalTo("definition"));
        orchestrator(body("action", "compare", "definition", "IEX", "with", "IEX"))
                .statusCode(400)
                .body("field", equalTo("with"));
        definition("HOURLY", "h1", JAN, FEB, 100, "AAPL");
        orchestrator(body("action", "compare", "definition", "IEX", "with", "HOURLY"))
                .statusCode(400)
                .body("field", equalTo("with"))
                .body("error", containsString("same timeframe"));
        orchestrator(body("action", "compare", "definition", "IEX", "with", "SIP", "tolerance", 1.5))
                .statusCode(400)
                .body("field", equalTo("tolerance"));
        orchestrator(body("action", "compare", "definition", "IEX", "with", "SIP", "feed", "sip"))
                .statusCode(400)
                .body("field", equalTo("feed"));
    }

    private void run(String symbol, String feed, String status) {
        db.execute("""
                INSERT INTO job_runs (symbol, timeframe, feed, adjustment, provider, slice_from, slice_to, status,
                                      finished_at)
                VALUES (?, 'd1', ?, 'raw', 'alpaca', ?::timestamptz, ?::timestamptz, ?,
                        CASE WHEN ? = 'success' THEN now() END)""", symbol, feed, JAN, FEB, status, status);
    }

    private void bar(String symbol, String feed, String day, double close, long volume) {
        db.execute("""
                INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, provider, feed,
                                       adjustment)
                VALUES (?, 'd1', (?::date)::timestamp AT TIME ZONE 'America/New_York', 100, 102, 99, ?, ?,
                        'alpaca', ?, 'raw')""", symbol, day, close, volume, feed);
    }
}
