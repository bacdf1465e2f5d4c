package io.barsbackfill.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A fetch function as an AWS Lambda behind a Function URL (built with {@code -Plambda}), driven through the mock
 * event server: the token is checked before anything is written, and with it the runs are fetched, stored and
 * completed. The subclass says how its function is asked for runs and what its success answer says.
 */
@Tag(LambdaEvents.TAG)
public abstract class FetcherLambdaTestBase extends FetcherTestBase {

    protected FetcherLambdaTestBase(String path) {
        super(path);
    }

    /** The function's request for {@code runs}, leased for h1 bars from JAN to FEB. */
    protected abstract Map<String, Object> request(List<Leased> runs);

    /** How many runs one request of this function carries: 1 for fetch-bars, more for a batch. */
    protected abstract int runsPerRequest();

    /** Asserts the success answer for {@code runs}, whose symbols the simulator serves {@code served} bars of. */
    protected abstract void assertStored(ValidatableResponse answer, List<Leased> runs, int served);

    private String[] symbols(String... candidates) {
        return Arrays.copyOf(candidates, runsPerRequest());
    }

    @Test
    void refusesAnEventWithoutTheTokenAndWritesNothing() {
        List<Leased> runs = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), symbols("AAPL", "NVDA"));

        LambdaEvents.post(path(), null, request(runs)).statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        LambdaEvents.post(path(), "wrong-token", request(runs)).statusCode(401);

        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
    }

    @Test
    void fetchesStoresAndCompletesTheRunsWithTheToken() {
        List<Leased> runs = queue.leased("h1", JAN, FEB, Duration.ofMinutes(5), symbols("MSFT", "SPY"));
        int served = 0;
        for (Leased run : runs) {
            served += simulator.bars(run.symbol(), Timeframe.h1, JAN, FEB).size();
        }

        assertStored(
                LambdaEvents.post(path(), FunctionCalls.TOKEN, request(runs)).statusCode(200), runs, served);

        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars WHERE timeframe = 'h1'"))
                .isEqualTo(served);
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'success'"))
                .isEqualTo(runs.size());
    }
}
