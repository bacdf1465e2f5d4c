package io.barsbackfill.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests no function may accept: broken bodies (empty, not JSON, not an object, nested 100,000 deep, 2 MiB
 * announced or chunked, not UTF-8, not declared JSON) and a valid body with one field replaced by something
 * hostile (huge numbers, far dates, NUL bytes, wrong JSON types, 10,000-element arrays, 100 kB strings).
 * {@link #refusals} sends each over plain HTTP and lists every answer that is not a 4xx with the JSON error
 * body {@code {error, code}}.
 */
public final class HostileRequests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MiB = 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** One request: a name for the report, its Content-Type (null: none) and its body. */
    public record Case(String name, String contentType, byte[] body, boolean chunked) {}

    private HostileRequests() {}

    /**
     * Every hostile request for a function whose valid body is {@code valid}: the body-level ones, and for each
     * of {@code fields} the valid body with that field replaced by each hostile value.
     */
    public static List<Case> against(Map<String, Object> valid, List<String> fields) {
        List<Case> cases = new ArrayList<>();
        byte[] ok = json(valid);
        cases.add(new Case("empty body", "application/json", new byte[0], false));
        cases.add(new Case("JSON null", "application/json", bytes("null"), false));
        cases.add(new Case("not JSON", "application/json", bytes("{action: tick"), false));
        cases.add(new Case("a JSON array", "application/json", bytes("[1, 2]"), false));
        cases.add(new Case("a JSON string", "application/json", bytes("\"tick\""), false));
        cases.add(new Case(
                "nested 100,000 deep", "application/json", bytes("[".repeat(100_000) + "]".repeat(100_000)), false));
        cases.add(new Case(
                "object nested 100,000 deep",
                "application/json",
                bytes("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)),
                false));
        cases.add(new Case("text/plain", "text/plain", ok, false));
        cases.add(new Case("no Content-Type", null, ok, false));
        cases.add(new Case("form", "application/x-www-form-urlencoded", bytes("action=tick"), false));
        cases.add(new Case("2 MiB with Content-Length", "application/json", padded(valid, 2 * MiB), false));
        cases.add(new Case("2 MiB chunked", "application/json", padded(valid, 2 * MiB), true));
        byte[] notUtf8 = bytes("{\"" + fields.get(0) + "\": \"AAPL\"}");
        notUtf8[notUtf8.length - 4] = (byte) 0xC3; // a lead byte followed by ASCII
        cases.add(new Case("not UTF-8", "application/json", notUtf8, false));
        for (String field : fields) {
            for (Map.Entry<String, Object> value :
                    hostileValues(valid.get(field)).entrySet()) {
                Map<String, Object> body = new LinkedHashMap<>(valid);
                body.put(field, value.getValue());
                cases.add(new Case(field + " = " + value.getKey(), "application/json", json(body), false));
            }
        }
        return cases;
    }

    /** Hostile replacements for a field whose valid value is {@code valid}, by description. */
    static Map<String, Object> hostileValues(Object valid) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("1e400", new BigDecimal("1e400"));
        values.put("a 40-digit integer", new BigInteger("9".repeat(40)));
        values.put("-1e400", new BigDecimal("-1e400"));
        values.put("year +200000", "+200000-01-01T00:00:00Z");
        values.put("year 0001", "0001-01-01T00:00:00Z");
        values.put("year -999999999", "-999999999-01-01T00:00:00Z");
        values.put("year +1000000000", "+1000000000-12-31T23:59:59.999999999Z");
        values.put("a NUL byte", "\u0000");
        values.put("a NUL byte after the value", (valid instanceof String s ? s : "AAPL") + "\u0000");
        values.put("an object", Map.of("$gt", ""));
        values.put("an empty array", List.of());
        values.put("true", Boolean.TRUE);
        values.put("a 100 kB string", "A".repeat(100_000));
        Object element = valid instanceof List<?> l && !l.isEmpty() ? l.get(0) : valid;
        values.put("an array of 10,000 elements", Collections.nCopies(10_000, element));
        values.put("an array of 10,000 distinct elements", distinct(element, 10_000));
        values.put("an array holding null", Collections.singletonList(null));
        values.put("an array of numbers", List.of(1, 2, 3));
        return values;
    }

    /** Sends every case; answers a line per case that was not refused properly (empty: all were). */
    public static List<String> refusals(URI function, String token, List<Case> cases) {
        List<String> problems = new ArrayList<>();
        for (Case c : cases) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(function)
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .POST(
                                c.chunked()
                                        ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(c.body()))
                                        : BodyPublishers.ofByteArray(c.body()));
                if (c.contentType() != null) {
                    request.header("Content-Type", c.contentType());
                }
                HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                String problem = problem(answer);
                if (problem != null) {
                    problems.add(c.name() + ": " + problem);
                }
            } catch (IOException e) {
                // the server may close a connection after refusing a large body before reading it all
                if (!c.name().startsWith("2 MiB")) {
                    problems.add(c.name() + ": " + e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return problems;
    }

    private static String problem(HttpResponse<String> answer) {
        int status = answer.statusCode();
        if (status < 400 || status >= 500) {
            return "HTTP " + status + " " + clip(answer.body());
        }
        if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            return "HTTP " + status + " without a JSON body: " + clip(answer.body());
        }
        try {
            JsonNode body = JSON.readTree(answer.body());
            if (!body.path("error").isTextual() || !body.path("code").isTextual()) {
                return "HTTP " + status + " body lacks error/code: " + clip(answer.body());
            }
        } catch (IOException e) {
            return "HTTP " + status + " body is not JSON: " + clip(answer.body());
        }
        return null;
    }

    private static List<Object> distinct(Object element, int n) {
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(element instanceof String s ? s + i : i);
        }
        return list;
    }

    private static byte[] padded(Map<String, Object> valid, int size) {
        Map<String, Object> body = new LinkedHashMap<>(valid);
        body.put("padding", "x".repeat(size));
        return json(body);
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String clip(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
