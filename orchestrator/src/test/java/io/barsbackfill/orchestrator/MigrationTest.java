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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The orchestrator applies the migrations shipped in common's jar to an empty database when it starts. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "migrate", value = "false"))
class MigrationTest {

    @InjectTestDatabase
    TestDatabase db;

    @Test
    void migratesAnEmptyDatabaseAtStart() {
        assertThat(db.query("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                .extracting(r -> r.get("version"))
                .startsWith("1");
        assertThat(db.queryLong("""
                SELECT count(*) FROM information_schema.tables
                WHERE table_name IN ('job_definitions', 'job_runs', 'job_definition_runs', 'ohlc_bars', 'symbols',
                                     'orchestrator_heartbeat', 'rate_limits')""")).isEqualTo(7);

        given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body(Map.of("action", "status"))
                .when()
                .post("/orchestrator")
                .then()
                .statusCode(200)
                .body("runs.total", equalTo(0));
    }
}
