package io.barsbackfill.fetchbars.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.testing.HostileRequests;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.QueueFixtures;
import io.barsbackfill.testing.QueueFixtures.Leased;
import io.barsbackfill.testing.SimulatorResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whatever arrives at {@code /fetch-bars} for a run it holds, the answer is a 4xx with the JSON error body. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class HostileInputTest {

    @InjectTestDatabase
    TestDatabase db;

    @InjectSimulator
    MarketSimulator simulator;

    @Test
    void everyHostileRequestIsRefusedWithTheJsonErrorBodyAndWritesNothing() {
        db.execute("DELETE FROM ohlc_bars");
        db.execute("DELETE FROM job_runs");
        simulator.resetCounters();
        Instant jan = Instant.parse("2024-01-01T00:00:00Z");
        Instant feb = Instant.parse("2024-02-01T00:00:00Z");
        Leased run = new QueueFixtures(db).leased("h1", jan, feb, Duration.ofMinutes(5), "AAPL").get(0);
        Map<String, Object> valid = new LinkedHashMap<>();
        valid.put("job_run_id", run.id().toString());
        valid.put("lease_token", run.token().toString());
        valid.put("symbol", "AAPL");
        valid.put("timeframe", "h1");
        valid.put("from", jan.toString());
        valid.put("to", feb.toString());
        List<HostileRequests.Case> cases = HostileRequests.against(valid, List.copyOf(valid.keySet()));

        assertThat(HostileRequests.refusals(URI.create("http://localhost:" + RestAssured.port + "/fetch-bars"),
                "test-token", cases)).as("of %d hostile requests", cases.size()).isEmpty();
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
        assertThat(db.query("SELECT status, attempt FROM job_runs").get(0)).containsEntry("status", "running");
        assertThat(simulator.barRequests()).as("nothing reached the provider").isZero();
    }
}
