package io.barsbackfill.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider cannot be reached while checking tickers: 503 with the reason, nothing stored. */
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

    public static class ProviderDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("backfill.alpaca.base-url", "http://127.0.0.1:9", "backfill.alpaca.max-attempts", "1");
        }
    }
}
