package io.barsbackfill.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.barsbackfill.orchestrator.testing.Fetchers;
import io.barsbackfill.orchestrator.testing.GateRows;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The provider cannot be reached from fetch-bars (through which the orchestrator asks it): checking tickers is a
 * 503 with the reason, nothing stored; the gate's probe fails and says why.
 */
@QuarkusTest
@TestProfile(EnqueueProviderDownTest.ProviderDown.class)
@WithTestResource(PostgresResource.class)
class EnqueueProviderDownTest {

    @InjectTestDatabase
    TestDatabase db;

    @Test
    void enqueueAnswers503NamingTheProviderFailureAndStoresNothing() {
        given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "action",
                        "enqueue",
                        "name",
                        "DOWN",
                        "symbols",
                        List.of("AAPL"),
                        "timeframe",
                        "d1",
                        "from",
                        "2024-01-01T00:00:00Z"))
                .post("/orchestrator")
                .then()
                .statusCode(503)
                .header("Retry-After", "60")
                .body("code", equalTo("PROVIDER_UNAVAILABLE"))
                .body("error", containsString("could not verify tickers"));
        assertThat(db.queryLong("SELECT count(*) FROM job_definitions")).isZero();
    }

    /**
     * The gate's probe as fetch-bars sends it, to a provider it cannot reach: the gate stays open and
     * {@code status}, the tick and {@code /q/health/well} name the cause.
     */
    @Test
    void aProbeTheFetcherCannotDeliverToTheProviderKeepsTheGateOpenAndNamesWhy() {
        GateRows.openWithProbeDue(db);
        try {
            call(Map.of("action", "tick")).statusCode(200).body("gate", containsString("(PROVIDER_UNAVAILABLE)"));
            String cause = "probe through fetch-bars: provider unreachable: ";
            call(Map.of("action", "status"))
                    .statusCode(200)
                    .body("provider.state", equalTo("open"))
                    .body("provider.reason", equalTo("PROVIDER_UNAVAILABLE"))
                    .body("provider.last_error", startsWith(cause));
            given().get("/q/health/well")
                    .then()
                    .body("checks.find { it.name == 'provider' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'provider' }.data.gate_last_error", startsWith(cause));
        } finally {
            GateRows.close(db);
        }
    }

    private static ValidatableResponse call(Map<String, ?> body) {
        return given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body(body)
                .post("/orchestrator")
                .then();
    }

    public static class ProviderDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(Fetchers.inProcess());
            config.put("backfill.alpaca.base-url", "http://127.0.0.1:9");
            config.put("backfill.alpaca.max-attempts", "1");
            return config;
        }
    }
}
