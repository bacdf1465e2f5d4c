package io.barsbackfill.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * V2 (the provider health gate) applied at start to a database that version 1 left mid-backfill: every run,
 * lease, bar and budget row is kept as it was, and the gate starts closed.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresResource.class,
        initArgs = {
            @ResourceArg(name = "migrate-to", value = "1"),
            @ResourceArg(name = "seed", value = "migration/v1-data.sql")
        })
class ProviderGateMigrationTest {

    @InjectTestDatabase
    TestDatabase db;

    @Test
    void v2KeepsVersion1DataAndStartsWithTheGateClosed() {
        assertThat(db.query("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                .extracting(r -> r.get("version"))
                .startsWith("1", "2");
        assertThat(db.query("SELECT symbol, status, attempt, error_code, lease_token IS NOT NULL AS leased "
                        + "FROM job_runs ORDER BY symbol"))
                .containsExactly(
                        row("AAPL", "success", 1, null, false), row("MSFT", "failed", 5, "PROVIDER_AUTH", false),
                        row("NVDA", "running", 2, null, true), row("SPY", "queued", 1, "PROVIDER_UNAVAILABLE", false));
        assertThat(db.queryLong("SELECT count(*) FROM job_definition_runs")).isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM rate_limits WHERE blocked_until IS NOT NULL"))
                .isEqualTo(1);
        assertThat(db.query(
                        "SELECT provider, state, consecutive_failures FROM provider_gate WHERE provider = 'alpaca'"))
                .containsExactly(Map.of("provider", "alpaca", "state", "closed", "consecutive_failures", 0));

        given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body(Map.of("action", "status"))
                .when()
                .post("/orchestrator")
                .then()
                .statusCode(200)
                .body("runs.total", equalTo(4))
                .body("provider.state", equalTo("closed"))
                .body("provider.name", equalTo("alpaca"));
    }

    private static Map<String, Object> row(String symbol, String status, int attempt, String code, boolean leased) {
        HashMap<String, Object> r = new HashMap<>();
        r.put("symbol", symbol);
        r.put("status", status);
        r.put("attempt", attempt);
        r.put("error_code", code);
        r.put("leased", leased);
        return r;
    }
}
