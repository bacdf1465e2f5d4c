package io.barsbackfill.fetchbarsbatch.function;

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

/** Whatever arrives at {@code /fetch-bars-batch} for runs it holds, the answer is a 4xx with the JSON error body. */
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
        List<Leased> runs = new QueueFixtures(db).leased("h1", jan, feb, Duration.ofMinutes(5), "AAPL", "MSFT");
        Map<String, Object> valid = new LinkedHashMap<>();
        valid.put("job_run_ids", runs.stream().map(r -> r.id().toString()).toList());
        valid.put("lease_tokens", runs.stream().map(r -> r.token().toString()).toList());
        valid.put("symbols", runs.stream().map(Leased::symbol).toList());
        valid.put("timeframe", "h1");
        valid.put("from", jan.toString());
        valid.put("to", feb.toString());
        List<HostileRequests.Case> cases = HostileRequests.against(valid, List.copyOf(valid.keySet()));

        assertThat(HostileRequests.refusals(URI.create("http://localhost:" + RestAssured.port + "/fetch-bars-batch"),
                "test-token", cases)).as("of %d hostile requests", cases.size()).isEmpty();
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM job_runs WHERE status = 'running'")).isEqualTo(2);
        assertThat(simulator.barRequests()).as("nothing reached the provider").isZero();
    }
}
