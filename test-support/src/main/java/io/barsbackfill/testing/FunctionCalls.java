package io.barsbackfill.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Calls of a function under test the way the orchestrator makes them: JSON, with the tests' bearer token. */
public final class FunctionCalls {

    /** The internal token every test profile sets ({@code %test.backfill.internal-token}). */
    public static final String TOKEN = "test-token";

    private FunctionCalls() {}

    public static ValidatableResponse post(String path, Object body) {
        return given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TOKEN)
                .body(body)
                .post(path)
                .then();
    }
}
