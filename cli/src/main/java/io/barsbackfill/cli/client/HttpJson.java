package io.barsbackfill.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/** JSON over HTTP with {@code java.net.http}: one POST or GET, the answer as status plus Jackson tree. */
public final class HttpJson {

    /**
     * Reads records leniently: a field this client does not know (a newer orchestrator's) is ignored. The records
     * name their fields ({@code @JsonNaming}), as the orchestrator does.
     */
    public static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpClient http;

    public HttpJson() {
        this(Duration.ofSeconds(5));
    }

    public HttpJson(Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** An answer: the status, the raw body and, when the body is JSON, its tree (else a missing node). */
    public record Answer(int status, String body, JsonNode json) {

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        public String text(String field) {
            JsonNode n = json.path(field);
            return n.isMissingNode() || n.isNull() ? null : n.asText();
        }
    }

    /** {@code POST url} with a JSON body; {@code authorization} is the whole header value, or null for none. */
    public Answer post(URI url, String authorization, String body, Duration timeout) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    public Answer post(URI url, String authorization, JsonNode body, Duration timeout) throws IOException {
        return post(url, authorization, write(body), timeout);
    }

    public Answer get(URI url, Duration timeout) throws IOException {
        return send(HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build());
    }

    /** Sent asynchronously so that an interrupt (Ctrl-C, the end of the demo) ends the wait at once. */
    private Answer send(HttpRequest request) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + request.uri(), e);
        } catch (CancellationException e) {
            throw new IOException("cancelled: " + request.uri(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException t) {
                throw t;
            }
            if (cause instanceof ConnectException c) {
                throw c;
            }
            throw cause instanceof IOException io ? io : new IOException(cause);
        }
        return new Answer(response.statusCode(), response.body(), parse(response.body()));
    }

    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    /** A tree, or a record as its {@code @JsonNaming} names its fields. */
    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code tree} as a {@code type}; a field of the wrong type is an {@link IllegalArgumentException}. */
    public static <T> T read(JsonNode tree, Class<T> type) {
        try {
            return JSON.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
