package io.barsbackfill.fetchbars.function;

import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.testing.FetcherLambdaTestBase;
import io.barsbackfill.testing.FunctionCalls;
import io.barsbackfill.testing.LambdaEvents;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** fetch-bars as an AWS Lambda behind a Function URL: one run a request. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class FetchBarsLambdaTest extends FetcherLambdaTestBase {

    FetchBarsLambdaTest() {
        super("/fetch-bars");
    }

    @Override
    protected Map<String, Object> request(List<Leased> runs) {
        return runs.get(0).fetchBarsRequest("h1", JAN, FEB);
    }

    @Override
    protected int runsPerRequest() {
        return 1;
    }

    @Override
    protected void assertStored(ValidatableResponse answer, List<Leased> runs, int served) {
        answer.body("status", equalTo("success")).body("rows_written", equalTo(served));
    }

    @Test
    void badInputIsStillA400NamingTheField() {
        LambdaEvents.post(path(), FunctionCalls.TOKEN, Map.of("job_run_id", "42"))
                .statusCode(400)
                .body("field", equalTo("job_run_id"));
    }
}
