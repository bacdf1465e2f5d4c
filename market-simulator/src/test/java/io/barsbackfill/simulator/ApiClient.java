package io.barsbackfill.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barsbackfill.common.domain.Bar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** A plain HTTP client for the simulator, as a test sees the wire. */
final class ApiClient {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String message() {
            return json().path("message").asText();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String nextPageToken() {
            JsonNode token = json().get("next_page_token");
            return token == null || token.isNull() ? null : token.asText();
        }

        /** The bars of a multi-symbol answer, per symbol in the order the body lists them. */
        Map<String, List<Bar>> barsBySymbol() {
            Map<String, List<Bar>> result = new LinkedHashMap<>();
            json().get("bars").fields().forEachRemaining(e -> result.put(e.getKey(), bars(e.getValue())));
            return result;
        }

        /** The bars of a single-symbol answer. */
        List<Bar> barArray() {
            return bars(json().get("bars"));
        }

        /** The {@code results} of a Massive aggregates answer, none when it has no {@code results}. */
        List<Bar> results() {
            return bars(json().path("results"), t -> Instant.ofEpochMilli(t.longValue()));
        }

        /** A Massive answer's {@code next_url}, null when it has none. */
        String nextUrl() {
            JsonNode url = json().get("next_url");
            return url == null ? null : url.asText();
        }
    }

    private final URI baseUrl;
    private final UnaryOperator<HttpRequest.Builder> decorate;

    ApiClient(MarketSimulator simulator) {
        this(simulator.baseUrl(), UnaryOperator.identity());
    }

    /** For a simulator running elsewhere, e.g. in another process. */
    static ApiClient at(URI baseUrl) {
        return new ApiClient(baseUrl, UnaryOperator.identity());
    }

    private ApiClient(URI baseUrl, UnaryOperator<HttpRequest.Builder> decorate) {
        this.baseUrl = baseUrl;
        this.decorate = decorate;
    }

    /** Sends {@code Authorization: Bearer key}, as Massive wants its key. */
    ApiClient withBearer(String key) {
        return withHeader("Authorization", "Bearer " + key);
    }

    ApiClient withHeader(String name, String value) {
        return new ApiClient(baseUrl, b -> decorate.apply(b).header(name, value));
    }

    /** GET {@code pathAndQuery}, sent as written (callers encode what needs encoding). */
    Answer get(String pathAndQuery) {
        return send(decorate.apply(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)))
                .GET()
                .build());
    }

    Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST /_simulator/faults} with {@code body}. */
    Answer postFaults(String body) {
        return send(HttpRequest.newBuilder(uri(ApiHandler.FAULTS_PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** GET an absolute URL the simulator handed out (a Massive {@code next_url}). */
    Answer getUrl(String url) {
        return send(
                decorate.apply(HttpRequest.newBuilder(URI.create(url))).GET().build());
    }

    URI uri(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }

    static boolean isJson(String body) {
        try {
            JSON.readTree(body);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static List<Bar> bars(JsonNode array) {
        return bars(array, t -> Instant.parse(t.asText()));
    }

    /** Bars of either provider's JSON: the same field names, {@code t} as {@code time} reads it. */
    private static List<Bar> bars(JsonNode array, Function<JsonNode, Instant> time) {
        List<Bar> bars = new ArrayList<>();
        for (JsonNode b : array) {
            bars.add(new Bar(
                    time.apply(b.get("t")),
                    b.get("o").asDouble(),
                    b.get("h").asDouble(),
                    b.get("l").asDouble(),
                    b.get("c").asDouble(),
                    b.get("v").asLong(),
                    b.has("vw") ? b.get("vw").asDouble() : null,
                    b.has("n") ? b.get("n").asLong() : null));
        }
        return bars;
    }
}
