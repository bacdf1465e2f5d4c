package io.barsbackfill.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.simulator.MarketSimulator;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared by the fetch functions' tests: one function on a throw-away database with the market simulator as
 * provider, its runs and bars emptied and the simulator's counters reset before each test. The test class still
 * names its {@code @QuarkusTest} and {@code @WithTestResource}s: Quarkus reads them from the class under test.
 */
public abstract class FetcherTestBase {

    public static final Instant JAN = Instant.parse("2024-01-01T00:00:00Z");
    public static final Instant FEB = Instant.parse("2024-02-01T00:00:00Z");

    @InjectTestDatabase
    protected TestDatabase db;

    @InjectSimulator
    protected MarketSimulator simulator;

    protected QueueFixtures queue;

    private final String path;

    /** {@code path}: the function's endpoint, {@code /fetch-bars} or {@code /fetch-bars-batch}. */
    protected FetcherTestBase(String path) {
        this.path = path;
    }

    @BeforeEach
    protected void emptyQueue() {
        queue = new QueueFixtures(db).emptied();
        simulator.resetCounters();
    }

    protected String path() {
        return path;
    }

    /** {@code body} (a map, or JSON text as sent) to the function with the tests' token. */
    protected ValidatableResponse post(Object body) {
        return FunctionCalls.post(path, body);
    }

    /** {@code body} as JSON to the function with {@code token} as bearer, or with no Authorization when null. */
    protected ValidatableResponse postAs(String token, Object body) {
        RequestSpecification request = RestAssured.given().contentType(ContentType.JSON);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.body(body).post(path).then();
    }

    /** The function's endpoint on the test HTTP port, for clients other than rest-assured. */
    protected URI url() {
        return URI.create("http://localhost:" + RestAssured.port + path);
    }

    /**
     * Every hostile variant of the {@code valid} request is refused with the JSON error body, and nothing was
     * stored or asked of the provider.
     */
    protected void assertEveryHostileVariantRefused(Map<String, Object> valid) {
        List<HostileRequests.Case> cases = HostileRequests.against(valid, List.copyOf(valid.keySet()));
        assertThat(HostileRequests.refusals(url(), FunctionCalls.TOKEN, cases))
                .as("of %d hostile requests", cases.size())
                .isEmpty();
        assertThat(db.queryLong("SELECT count(*) FROM ohlc_bars")).isZero();
        assertThat(simulator.barRequests()).as("nothing reached the provider").isZero();
    }

    /** A copy of {@code body} with {@code key} set to {@code value}. */
    protected static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put(key, value);
        return copy;
    }
}
