package io.barsbackfill.fetchbars.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The database is down when a fetch starts (nothing listens on its port): the fetcher answers 503
 * {@code STORAGE_UNAVAILABLE}, never a 500, and calls no provider; the orchestrator then gives the runs back
 * without spending an attempt ({@code FetcherReplySettlingTest}).
 */
@QuarkusTest
@WithTestResource(DatabaseDownTest.NoDatabase.class)
@WithTestResource(SimulatorResource.class)
class DatabaseDownTest {

    @Test
    void aFetchThatCannotReachTheDatabaseIs503StorageUnavailable() {
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer test-token")
                .body(Map.of(
                        "job_run_id", UUID.randomUUID().toString(),
                        "lease_token", UUID.randomUUID().toString(),
                        "symbol", "AAPL",
                        "timeframe", "d1",
                        "from", "2024-03-01T00:00:00Z",
                        "to", "2024-04-01T00:00:00Z"))
                .post("/fetch-bars")
                .then()
                .statusCode(503)
                .header("Retry-After", "60")
                .body("code", equalTo("STORAGE_UNAVAILABLE"));
    }

    /** A datasource on a port where nothing listens. */
    public static class NoDatabase implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/down",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/down",
                    "quarkus.datasource.username", "postgres");
        }

        @Override
        public void stop() {}
    }
}
