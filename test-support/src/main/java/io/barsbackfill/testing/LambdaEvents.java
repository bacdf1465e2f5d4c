package io.barsbackfill.testing;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Requests to a function built with {@code -Plambda}, sent through Quarkus' Lambda mock event server: each HTTP
 * request becomes a Function URL (API Gateway v2) event, the function's Lambda runtime loop takes it, and the
 * answer goes back as HTTP. The server listens on a random port ({@code quarkus.lambda.mock-event-server.test-port=0}
 * under the lambda profile), which Quarkus publishes under the same key once it runs.
 */
public final class LambdaEvents {

    public static final String TAG = "lambda";

    private LambdaEvents() {}

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
    }

    /** A rest-assured request aimed at the mock event server instead of the HTTP port. */
    public static RequestSpecification request() {
        return new RequestSpecBuilder()
                .setBaseUri("http://localhost")
                .setPort(port())
                .build();
    }

    /** {@code body} as JSON to {@code path} through the event server, with {@code token} as bearer unless null. */
    public static ValidatableResponse post(String path, String token, Object body) {
        RequestSpecification request =
                RestAssured.given(request()).contentType(ContentType.JSON).body(body);
        if (token != null) {
            request.auth().oauth2(token);
        }
        return request.post(path).then();
    }
}
