package io.barsbackfill.fetchbarsbatch.function;

import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.testing.FetcherLambdaTestBase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;

/** fetch-bars-batch as an AWS Lambda behind a Function URL: several runs a request. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class FetchBarsBatchLambdaTest extends FetcherLambdaTestBase {

    FetchBarsBatchLambdaTest() {
        super("/fetch-bars-batch");
    }

    @Override
    protected Map<String, Object> request(List<Leased> runs) {
        return FetchBarsBatchFunctionTest.batch(runs, "h1", JAN, FEB);
    }

    @Override
    protected int runsPerRequest() {
        return 2;
    }

    @Override
    protected void assertStored(ValidatableResponse answer, List<Leased> runs, int served) {
        answer.body("total_symbols", equalTo(runs.size())).body("total_bars", equalTo(served));
    }
}
