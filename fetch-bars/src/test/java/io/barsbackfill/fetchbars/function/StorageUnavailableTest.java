package io.barsbackfill.fetchbars.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.testing.QueueFixtures;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.SimulatorResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL refuses the fetcher a connection with "too many clients" (53300): its role's {@code CONNECTION
 * LIMIT} is taken by connections someone else holds. The fetch answers 503 {@code STORAGE_UNAVAILABLE}, calls
 * no provider and changes no run; once a slot is free the same request succeeds on the same attempt.
 */
@QuarkusTest
@WithTestResource(StorageUnavailableTest.LimitedRole.class)
@WithTestResource(SimulatorResource.class)
class StorageUnavailableTest {

    private static final Instant FROM = Instant.parse("2024-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2024-04-01T00:00:00Z");

    @Test
    void tooManyClientsAtFetchStartIs503StorageUnavailableAndSpendsNoAttempt() throws Exception {
        TestDatabase db = LimitedRole.db;
        Leased run = new QueueFixtures(db)
                .leased("d1", FROM, TO, Duration.ofMinutes(5), "AAPL")
                .get(0);
        long attempt = db.queryLong("SELECT attempt FROM job_runs WHERE id = ?", run.id());

        List<Connection> held = new ArrayList<>();
        try {
            // the fetcher's pooled connections go, and the role's every slot is taken
            db.query(
                    "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE usename = ?",
                    LimitedRole.role);
            Thread.sleep(500);
            for (int i = 0; i < LimitedRole.LIMIT; i++) {
                held.add(DriverManager.getConnection(db.jdbcUrl(), LimitedRole.role, null));
            }

            fetch(run)
                    .statusCode(503)
                    .body("code", equalTo("STORAGE_UNAVAILABLE"))
                    .body("error", containsString("53300"));
            assertThat(db.query("SELECT status, attempt, lease_token FROM job_runs WHERE id = ?", run.id())
                            .get(0))
                    .as("nothing was written")
                    .containsEntry("status", "running")
                    .containsEntry("attempt", (int) attempt)
                    .containsEntry("lease_token", run.token());
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }

        fetch(run).statusCode(200).body("status", equalTo("success"));
        assertThat(db.query("SELECT status, attempt FROM job_runs WHERE id = ?", run.id())
                        .get(0))
                .containsEntry("status", "success")
                .containsEntry("attempt", (int) attempt);
    }

    private static ValidatableResponse fetch(Leased run) {
        return given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer test-token")
                .body(Map.of(
                        "job_run_id", run.id().toString(),
                        "lease_token", run.token().toString(),
                        "symbol", run.symbol(),
                        "timeframe", "d1",
                        "from", FROM.toString(),
                        "to", TO.toString()))
                .post("/fetch-bars")
                .then();
    }

    /** A migrated database the fetcher reaches as a role of its own, limited to {@value #LIMIT} connections. */
    public static class LimitedRole implements QuarkusTestResourceLifecycleManager {
        static final int LIMIT = 2;
        static TestDatabase db;
        static String role;

        @Override
        public Map<String, String> start() {
            db = TestDatabase.createMigrated();
            role = "bars_limited_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            db.execute("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT " + LIMIT);
            db.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO " + role);
            db.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO " + role);
            Map<String, String> p = new HashMap<>(db.quarkusProperties());
            p.put("quarkus.datasource.username", role);
            p.put("quarkus.datasource.reactive.max-size", Integer.toString(LIMIT));
            return p;
        }

        @Override
        public void stop() {
            String server = db.jdbcUrl().substring(0, db.jdbcUrl().lastIndexOf('/') + 1) + "postgres";
            db.close();
            try (Connection admin = DriverManager.getConnection(server, "postgres", null)) {
                admin.createStatement().execute("DROP ROLE IF EXISTS " + role);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
