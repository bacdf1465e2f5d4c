package io.barsbackfill.orchestrator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.barsbackfill.orchestrator.testing.InProcessFetchersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code coverage}: one definition's runs as tickers x slices; and the status page it feeds. */
@QuarkusTest
@WithTestResource(InProcessFetchersResource.class)
class CoverageTest extends OrchestratorTestBase {

    @Test
    void theGridHasTheDefinitionsTickersInOrderSlicesAscendingAndOneLetterPerRun() {
        UUID def =
                definition("COVERED", "h1", "2024-01-01T00:00:00Z", "2024-04-01T00:00:00Z", 100, "MSFT", "AAPL", "IBM");
        String[] months = {
            "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z"
        };
        for (String symbol : List.of("MSFT", "AAPL")) {
            for (int m = 2; m >= 0; m--) { // inserted out of order on purpose
                UUID id = queuedRun(symbol, "h1", months[m], months[m + 1], 100);
                db.execute("INSERT INTO job_definition_runs (job_def_id, job_run_id) VALUES (?, ?)", def, id);
                if (symbol.equals("MSFT") && m == 0) {
                    db.execute(
                            "UPDATE job_runs SET status = 'success', rows_written = 368, finished_at = now() "
                                    + "WHERE id = ?",
                            id);
                } else if (symbol.equals("AAPL") && m == 1) {
                    db.execute(
                            "UPDATE job_runs SET status = 'failed', error_code = 'INVALID_SYMBOL', finished_at = now() "
                                    + "WHERE id = ?",
                            id);
                } else if (symbol.equals("AAPL") && m == 2) {
                    db.execute("UPDATE job_runs SET status = 'cancelled', finished_at = now() WHERE id = ?", id);
                }
            }
        }
        // a run of another definition is not in this grid
        queuedRun("TSLA", "h1", months[0], months[1], 100);

        orchestrator(body("action", "coverage", "definition", "COVERED"))
                .statusCode(200)
                .body("definition", equalTo("COVERED"))
                .body("timeframe", equalTo("h1"))
                .body("symbols", equalTo(List.of("MSFT", "AAPL", "IBM")))
                .body("slices", equalTo(List.of(months[0], months[1], months[2])))
                .body("status", equalTo(List.of("sqq", "qfc", "---")))
                .body("bars", equalTo(List.of(List.of(368, 0, 0), List.of(0, 0, 0), List.of(0, 0, 0))));
    }

    @Test
    void aMissingOrUnknownDefinitionIsA400NamingTheField() {
        orchestrator(body("action", "coverage"))
                .statusCode(400)
                .body("code", equalTo("BAD_INPUT"))
                .body("field", equalTo("definition"));
        orchestrator(body("action", "coverage", "definition", "NOPE"))
                .statusCode(400)
                .body("field", equalTo("definition"))
                .body("error", containsString("NOPE"));
    }

    @Test
    void thePageLoadsWithoutTheTokenButNothingElseDoes() {
        given().get("/ui")
                .then()
                .statusCode(200)
                .header("Content-Type", startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .body(containsString("/ui/app.js"));
        given().get("/ui/app.js").then().statusCode(200).body(containsString("sessionStorage"));
        given().get("/ui/app.css").then().statusCode(200).header("Content-Type", startsWith("text/css"));
        given().get("/ui/index.html").then().statusCode(401);
        given().post("/ui").then().statusCode(401);
        given().contentType("application/json")
                .body("{\"action\":\"coverage\",\"definition\":\"X\"}")
                .post("/orchestrator")
                .then()
                .statusCode(401);
    }
}
