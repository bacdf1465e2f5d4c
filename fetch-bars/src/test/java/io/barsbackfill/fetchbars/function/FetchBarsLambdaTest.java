package io.barsbackfill.fetchbars.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.LambdaEvents;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.SimulatorResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * fetch-bars as an AWS Lambda behind a Function URL (built with {@code -Plambda}), driven through the mock event
 * server.
 */
@QuarkusTest
@Tag(LambdaEvents.TAG)
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class FetchBarsLambdaTest {

    static final Instant JAN = FetchBarsFunctionTest.JAN;
    static final Instant FEB = FetchBarsFunctionTest.FEB;

    @InjectTestDatabase
    TestDatabase db;

    @InjectSimulator
    MarketSimulator simulator;

    @Test
    void refusesAnEventWithoutTheTokenAndWritesNothing() {
        Leased run = new QueueFixtures(db)
                .leased("h1", JAN, FEB, Duration.ofMinutes(5), "AAPL")
                .get(0);

        LambdaEvents.post("/fetch-bars", null, body(run)).statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        LambdaEvents.post("/fetch-bars", "wrong-token", body(run)).statusCode(401);

        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = 'AAPL'"))
                .isZero();
    }

    @Test
    void fetchesAndStoresOneRunWithTheToken() {
        Leased run = new QueueFixtures(db)
                .leased("h1", JAN, FEB, Duration.ofMinutes(5), "MSFT")
                .get(0);
        int served = simulator.bars("MSFT", Timeframe.h1, JAN, FEB).size();

        LambdaEvents.post("/fetch-bars", "test-token", body(run))
                .statusCode(200)
                .body("status", equalTo("success"))
                .body("rows_written", equalTo(served));

        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol = 'MSFT' AND timeframe = 'h1'"))
                .isEqualTo(served);
        assertThat(db.query("SELECT status FROM job_runs WHERE id = ?", run.id())
                        .get(0))
                .containsEntry("status", "success");
    }

    @Test
    void badInputIsStillA400NamingTheField() {
        LambdaEvents.post("/fetch-bars", "test-token", Map.of("job_run_id", "42"))
                .statusCode(400)
                .body("field", equalTo("job_run_id"));
    }

    private static Map<String, Object> body(Leased run) {
        return run.fetchBarsRequest("h1", JAN, FEB);
    }
}
