package io.barsbackfill.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.barsbackfill.orchestrator.testing.DispatchPausedResource;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@WithTestResource(DispatchPausedResource.class)
class RequestValidationTest extends OrchestratorTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"tick", "status", "enqueue", "retry_failed", "cancel"})
    void everyActionNeedsTheBearerToken(String action) {
        given().contentType(ContentType.JSON)
                .body(Map.of("action", action))
                .when()
                .post("/orchestrator")
                .then()
                .statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));
        given().auth()
                .oauth2("wrong-token")
                .contentType(ContentType.JSON)
                .body(Map.of("action", action))
                .when()
                .post("/orchestrator")
                .then()
                .statusCode(401);
        assertThat(count("SELECT count(*) FROM orchestrator_heartbeat"))
                .as("a refused tick does not run")
                .isZero();
    }

    @Test
    void anUnknownOrMissingActionNamesTheActionField() {
        action("plan")
                .statusCode(400)
                .body("field", equalTo("action"))
                .body("code", equalTo("BAD_INPUT"))
                .body("error", containsString("tick status enqueue retry_failed cancel"));
        orchestrator(Map.of()).statusCode(400).body("field", equalTo("action"));
    }

    @Test
    void aBodyThatIsNotAnObjectIsBadInput() {
        given().auth()
                .oauth2(TOKEN)
                .contentType(ContentType.JSON)
                .body("[1,2]")
                .when()
                .post("/orchestrator")
                .then()
                .statusCode(400)
                .body("code", equalTo("BAD_INPUT"));
    }

    @Test
    void enqueueRejectsAnUnknownTimeframe() {
        enqueue(Map.of("timeframe", "1h"))
                .statusCode(400)
                .body("field", equalTo("timeframe"))
                .body("error", containsString("m1 m5 m15 m30 h1 h4 d1 w1"));
    }

    @Test
    void enqueueRejectsABatchLabelAmongTheSymbols() {
        enqueue(Map.of("symbols", List.of("AAPL", "US_BATCH_1")))
                .statusCode(400)
                .body("field", equalTo("symbols[1]"))
                .body("error", containsString("label"));
    }

    @Test
    void enqueueRejectsTickersThatAreNotTickers() {
        enqueue(Map.of("symbols", List.of("AAPL", "MSFT", "AAPL 2")))
                .statusCode(400)
                .body("field", equalTo("symbols[2]"));
    }

    @Test
    void enqueueRejectsATickerListedTwice() {
        enqueue(Map.of("symbols", List.of("AAPL", "brk/b", "aapl")))
                .statusCode(400)
                .body("field", equalTo("symbols[2]"))
                .body("error", containsString("symbols[0]"));
    }

    @Test
    void enqueueRejectsAnEmptyOrMissingSymbolList() {
        enqueue(Map.of("symbols", List.of())).statusCode(400).body("field", equalTo("symbols"));
        Map<String, Object> noSymbols = enqueueBody(Map.of());
        noSymbols.remove("symbols");
        orchestrator(noSymbols).statusCode(400).body("field", equalTo("symbols"));
    }

    @Test
    void enqueueRejectsAWindowThatEndsBeforeItStarts() {
        enqueue(Map.of("from", "2024-02-01T00:00:00Z", "to", "2024-01-01T00:00:00Z"))
                .statusCode(400)
                .body("field", equalTo("to"));
        enqueue(Map.of("from", "2024-01-01T00:00:00Z", "to", "2024-01-01T00:00:00Z"))
                .statusCode(400)
                .body("field", equalTo("to"));
    }

    @Test
    void enqueueRejectsDatesThatAreNotInstants() {
        enqueue(Map.of("from", "2024-01-01")).statusCode(400).body("field", equalTo("from"));
    }

    @Test
    void enqueueRefusesWindowsOutsideTheSupportedDates() {
        enqueue(Map.of("from", "0001-01-01T00:00:00Z"))
                .statusCode(400)
                .body("field", equalTo("from"))
                .body("error", containsString("2000-01-01T00:00:00Z"));
        enqueue(Map.of("from", "1999-12-31T23:59:59Z")).statusCode(400).body("field", equalTo("from"));
        enqueue(Map.of("to", "+200000-01-01T00:00:00Z")).statusCode(400).body("field", equalTo("to"));
        enqueue(Map.of("to", Instant.now().plus(Duration.ofDays(3)).toString()))
                .statusCode(400)
                .body("field", equalTo("to"))
                .body("error", containsString("max-ahead"));
        enqueue(Map.of("from", "9999-12-31T00:00:00Z", "to", "9999-12-31T23:00:00Z"))
                .statusCode(400)
                .body("field", equalTo("from"));
        enqueue(Map.of("to", "+10000-01-01T00:00:00Z"))
                .statusCode(400)
                .body("field", equalTo("to"))
                .body("error", containsString("0001 to 9999"));
    }

    @Test
    void enqueueRefusesAPlanOverTheRunBudgetAndStatesTheEstimate() {
        List<String> symbols = new ArrayList<>();
        for (char a = 'A'; symbols.size() < 200; a++) {
            for (char b = 'A'; b <= 'Z' && symbols.size() < 200; b++) {
                symbols.add("Q" + a + b);
            }
        }
        enqueue(Map.of(
                        "symbols",
                        symbols,
                        "timeframe",
                        "m1",
                        "from",
                        "2000-01-01T00:00:00Z",
                        "to",
                        "2026-01-01T00:00:00Z"))
                .statusCode(400)
                .body("field", equalTo("from"))
                .body("error", containsString("about 1,899,400 runs (200 symbols x 9,497 m1 slices)"))
                .body("error", containsString("1,000,000"));
    }

    @Test
    void enqueueRejectsAnUnknownOnUnknown() {
        enqueue(Map.of("on_unknown", "ignore"))
                .statusCode(400)
                .body("field", equalTo("on_unknown"))
                .body("error", containsString("reject or skip"));
    }

    @Test
    void enqueueRejectsANameTheTableWouldRefuse() {
        enqueue(Map.of("name", "has space")).statusCode(400).body("field", equalTo("name"));
        enqueue(Map.of("name", "")).statusCode(400).body("field", equalTo("name"));
    }

    @Test
    void retryAndCancelRejectFiltersThatNameNothing() {
        orchestrator(Map.of("action", "retry_failed", "definition", "NOPE"))
                .statusCode(400)
                .body("field", equalTo("definition"));
        orchestrator(Map.of("action", "cancel", "definition", "NOPE"))
                .statusCode(400)
                .body("field", equalTo("definition"));
        orchestrator(Map.of("action", "cancel", "symbol", "US_BATCH_1"))
                .statusCode(400)
                .body("field", equalTo("symbol"));
        orchestrator(Map.of("action", "retry_failed", "error_code", "WHATEVER"))
                .statusCode(400)
                .body("field", equalTo("error_code"));
    }

    @AfterEach
    void nothingWasWritten() {
        assertThat(count("SELECT count(*) FROM job_definitions")).isZero();
        assertThat(count("SELECT count(*) FROM job_runs")).isZero();
        assertThat(count("SELECT count(*) FROM symbols")).isZero();
        assertThat(simulator.barRequests())
                .as("bad input never reaches the provider")
                .isZero();
    }

    private Map<String, Object> enqueueBody(Map<String, Object> overrides) {
        Map<String, Object> body = body(
                "action",
                "enqueue",
                "name",
                "TEST_1",
                "symbols",
                List.of("AAPL", "MSFT"),
                "timeframe",
                "h1",
                "from",
                "2024-01-01T00:00:00Z",
                "to",
                "2024-04-01T00:00:00Z");
        body.putAll(overrides);
        return body;
    }

    private ValidatableResponse enqueue(Map<String, Object> overrides) {
        return orchestrator(enqueueBody(overrides));
    }
}
