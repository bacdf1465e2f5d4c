package io.barsbackfill.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.testing.LambdaEvents;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator as an AWS Lambda behind a Function URL (built with {@code -Plambda}), driven through the mock
 * event server, as the EventBridge schedule drives it: {@code {"action":"tick"}} with the bearer token.
 */
@QuarkusTest
@Tag(LambdaEvents.TAG)
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class OrchestratorLambdaTest extends OrchestratorTestBase {

    @Test
    void refusesATickWithoutTheToken() {
        LambdaEvents.post("/orchestrator", null, Map.of("action", "tick"))
                .statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));

        assertThat(count("SELECT count(*) FROM orchestrator_heartbeat")).isZero();
    }

    @Test
    void aTickWithTheTokenPlansAndHeartbeats() {
        definition("LAMBDA", "h1", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 100, "AAPL");

        given(LambdaEvents.request())
                .contentType(ContentType.JSON)
                .auth()
                .oauth2(TOKEN)
                .body(Map.of("action", "tick"))
                .post("/orchestrator")
                .then()
                .statusCode(200)
                .body("slices_created", equalTo(2))
                .body("status", equalTo("healthy"))
                .body("errors", empty());

        assertThat(count("SELECT count(*) FROM job_runs WHERE symbol = 'AAPL' AND status = 'queued'"))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM orchestrator_heartbeat")).isEqualTo(1);
    }
}
