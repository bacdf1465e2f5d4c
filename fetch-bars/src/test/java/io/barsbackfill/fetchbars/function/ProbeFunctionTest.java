package io.barsbackfill.fetchbars.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.MarketSimulator.Endpoint;
import io.barsbackfill.simulator.Provider;
import io.barsbackfill.simulator.SimulatorFaults;
import io.barsbackfill.testing.FunctionCalls;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /probe}: the provider's verdict as this fetcher meets it, always a 200 with {@code ok} or
 * {@code failed}, an error code and a cause without secrets; one provider request unless asked to retry.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class ProbeFunctionTest {

    @InjectSimulator
    MarketSimulator simulator;

    @InjectTestDatabase
    TestDatabase db;

    @BeforeEach
    void setUp() {
        db.execute("DELETE FROM rate_limits"); // no wait left over by another test's 429
        simulator.resetCounters();
    }

    @AfterEach
    void faultsOff() {
        simulator.faults(SimulatorFaults.NONE);
    }

    @Test
    void aProviderThatAnswersIsOkInOneRequest() {
        probe(List.of("AAPL", "BRK.A"), false)
                .statusCode(200)
                .body("status", equalTo("ok"))
                .body("error_code", nullValue())
                .body("error_message", nullValue());
        assertThat(simulator.barRequests()).isEqualTo(1);
    }

    @Test
    void revokedKeysAreUnauthorizedWithoutRetry() {
        simulator.faults(SimulatorFaults.NONE.withAuthRevoked(true));
        probe(List.of("AAPL"), true)
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_code", equalTo("PROVIDER_AUTH"))
                .body("error_message", startsWith("provider refused the request (HTTP 401)"));
        assertThat(simulator.barRequests()).as("a 401 is not retried").isEqualTo(1);
    }

    @Test
    void anOutageIsUnavailableNamingTheStatusAfterOneAttempt() {
        simulator.faults(SimulatorFaults.NONE.withOutage(503));
        probe(List.of("AAPL"), false)
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_code", equalTo("PROVIDER_UNAVAILABLE"))
                .body("error_message", startsWith("provider answered HTTP 503"))
                .body("retry_after_seconds", nullValue());
        assertThat(simulator.barRequests())
                .as("the gate's probe is one request")
                .isEqualTo(1);
    }

    @Test
    void anUnknownTickerIsNamed() {
        probe(List.of("AAPL", "ZZZZ"), true)
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_code", equalTo("INVALID_SYMBOL"))
                .body("symbol", equalTo("ZZZZ"));
    }

    @Test
    void requestsThatNameNoTickerOrALabelAre400sAndReachNoProvider() {
        probe(List.of(), false).statusCode(400).body("field", equalTo("symbols"));
        probe(List.of("US_BATCH_1"), false).statusCode(400).body("field", equalTo("symbols[0]"));
        probe(Collections.nCopies(501, "AAPL"), false).statusCode(400).body("field", equalTo("symbols"));
        FunctionCalls.post("/probe", Map.of("symbols", List.of("AAPL"), "symbol", "AAPL"))
                .statusCode(400)
                .body("field", equalTo("symbol"));
        given().contentType(ContentType.JSON)
                .body(Map.of("symbols", List.of("AAPL")))
                .post("/probe")
                .then()
                .statusCode(401);
        assertThat(simulator.barRequests()).isZero();
    }

    @Test
    void massiveIsProbedWhenNamedItsTickersOneByOneUpToTheFirstUnknown() {
        massive(List.of("AAPL", "MSFT"), true).statusCode(200).body("status", equalTo("ok"));
        assertThat(simulator.requests(Endpoint.MASSIVE_TICKERS))
                .as("one per ticker")
                .isEqualTo(2);
        assertThat(simulator.requests(Provider.ALPACA)).isZero();

        massive(List.of("AAPL", "ZZZZ", "MSFT"), true)
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_code", equalTo("INVALID_SYMBOL"))
                .body("symbol", equalTo("ZZZZ"));
        assertThat(simulator.requests(Endpoint.MASSIVE_TICKERS)).isEqualTo(2 + 2);

        massive(List.of("AAPL"), false).statusCode(200).body("status", equalTo("ok"));
        assertThat(simulator.requests(Endpoint.MASSIVE_AGGREGATES))
                .as("the gate's probe: one aggregates request")
                .isEqualTo(1);
    }

    @Test
    void massivesOutageIsItsOwn() {
        simulator.faults(SimulatorFaults.NONE.withOutage(503).withProviders(Provider.MASSIVE));
        massive(List.of("AAPL"), false)
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_code", equalTo("PROVIDER_UNAVAILABLE"));
        probe(List.of("AAPL"), false).statusCode(200).body("status", equalTo("ok"));
    }

    @Test
    void aProviderNoOneKnowsIsA400NamingProvider() {
        FunctionCalls.post("/probe", Map.of("symbols", List.of("AAPL"), "provider", "polygon"))
                .statusCode(400)
                .body("field", equalTo("provider"));
        assertThat(simulator.barRequests()).isZero();
    }

    private static ValidatableResponse massive(List<String> symbols, boolean retry) {
        return FunctionCalls.post("/probe", Map.of("symbols", symbols, "retry", retry, "provider", "massive"));
    }

    private static ValidatableResponse probe(List<String> symbols, boolean retry) {
        return FunctionCalls.post("/probe", Map.of("symbols", symbols, "retry", retry));
    }
}
