package io.barsbackfill.fetchbarsbatch.function;

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
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * fetch-bars-batch as an AWS Lambda behind a Function URL (built with {@code -Plambda}), driven through the mock event
 * server.
 */
@QuarkusTest
@Tag(LambdaEvents.TAG)
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class FetchBarsBatchLambdaTest {

    static final Instant JAN = FetchBarsBatchFunctionTest.JAN;
    static final Instant FEB = FetchBarsBatchFunctionTest.FEB;

    @InjectTestDatabase
    TestDatabase db;

    @InjectSimulator
    MarketSimulator simulator;

    @Test
    void refusesAnEventWithoutTheTokenAndWritesNothing() {
        List<Leased> runs = new QueueFixtures(db).leased("h1", JAN, FEB, Duration.ofMinutes(5), "AAPL", "NVDA");

        LambdaEvents.post("/fetch-bars-batch", null, FetchBarsBatchFunctionTest.batch(runs, "h1", JAN, FEB))
                .statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));

        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol IN ('AAPL', 'NVDA')"))
                .isZero();
    }

    @Test
    void fetchesAndStoresABatchWithTheToken() {
        List<Leased> runs = new QueueFixtures(db).leased("h1", JAN, FEB, Duration.ofMinutes(5), "MSFT", "SPY");
        int served = simulator.bars("MSFT", Timeframe.h1, JAN, FEB).size()
                + simulator.bars("SPY", Timeframe.h1, JAN, FEB).size();

        LambdaEvents.post("/fetch-bars-batch", "test-token", FetchBarsBatchFunctionTest.batch(runs, "h1", JAN, FEB))
                .statusCode(200)
                .body("total_symbols", equalTo(2))
                .body("total_bars", equalTo(served));

        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE symbol IN ('MSFT', 'SPY') AND timeframe = 'h1'"))
                .isEqualTo(served);
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'success' AND symbol IN ('MSFT', 'SPY')"))
                .isEqualTo(2);
    }
}
