package io.barsbackfill.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * {@code POST <url>/orchestrator {action, ...}} with the internal bearer token. Answers are Jackson trees, not
 * the orchestrator's records, so a field added or renamed there does not break this client; anything but 2xx
 * is an {@link OrchestratorException} carrying the server's {@code error}, {@code code} and {@code field}.
 */
public final class OrchestratorClient {

    /** A tick may run its whole budget and then wait for its dispatches. */
    public static final Duration TICK_TIMEOUT = Duration.ofMinutes(15);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final String authorization;
    private final HttpJson http;

    public OrchestratorClient(URI baseUrl, String token) {
        this(baseUrl, token, new HttpJson());
    }

    public OrchestratorClient(URI baseUrl, String token, HttpJson http) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/orchestrator");
        this.authorization = token == null ? null : "Bearer " + token;
        this.http = http;
    }

    public URI endpoint() {
        return endpoint;
    }

    public static ObjectNode request(String action) {
        ObjectNode r = HttpJson.JSON.createObjectNode();
        r.put("action", action);
        return r;
    }

    /**
     * {@code enqueue} request that rejects tickers the provider does not know; {@code to}, {@code priority} may be
     * null.
     */
    public static ObjectNode enqueueRequest(
            String name, List<String> symbols, String timeframe, String from, String to, Integer priority) {
        return enqueueRequest(name, symbols, timeframe, from, to, priority, null);
    }

    /**
     * {@code enqueue} request; {@code to}, {@code priority} and {@code onUnknown} ({@code reject|skip}) may be null.
     */
    public static ObjectNode enqueueRequest(
            String name,
            List<String> symbols,
            String timeframe,
            String from,
            String to,
            Integer priority,
            String onUnknown) {
        ObjectNode r = request("enqueue");
        r.put("name", name);
        ArrayNode list = r.putArray("symbols");
        symbols.forEach(list::add);
        r.put("timeframe", timeframe);
        r.put("from", from);
        putIfSet(r, "to", to);
        putIfSet(r, "priority", priority);
        return putIfSet(r, "on_unknown", onUnknown);
    }

    /** Sets {@code field} unless {@code value} is null (the orchestrator's default then applies). */
    public static ObjectNode putIfSet(ObjectNode request, String field, Object value) {
        if (value != null) {
            request.set(field, HttpJson.JSON.valueToTree(value));
        }
        return request;
    }

    public JsonNode tick() {
        return call(request("tick"), TICK_TIMEOUT);
    }

    public JsonNode status() {
        return call(request("status"));
    }

    public JsonNode call(ObjectNode request) {
        return call(request, "tick".equals(request.path("action").asText()) ? TICK_TIMEOUT : DEFAULT_TIMEOUT);
    }

    public JsonNode call(ObjectNode request, Duration timeout) {
        String action = request.path("action").asText();
        HttpJson.Answer answer;
        try {
            answer = http.post(endpoint, authorization, request, timeout);
        } catch (ConnectException e) {
            throw new OrchestratorException(
                    0,
                    "cannot connect to the orchestrator at " + endpoint
                            + " (is it running? set BACKFILL_ORCHESTRATOR_URL)",
                    null,
                    null,
                    null);
        } catch (HttpTimeoutException e) {
            throw new OrchestratorException(
                    0,
                    "the orchestrator at " + endpoint + " did not answer '" + action + "' within " + timeout.toSeconds()
                            + " s",
                    null,
                    null,
                    null);
        } catch (IOException e) {
            throw new OrchestratorException(
                    0, "request to " + endpoint + " failed: " + e.getMessage(), null, null, null);
        }
        if (answer.isSuccess()) {
            return answer.json();
        }
        String error = answer.text("error");
        String code = answer.text("code");
        String field = answer.text("field");
        StringBuilder message =
                new StringBuilder("orchestrator answered HTTP " + answer.status() + " to '" + action + "'");
        if (answer.status() == 401) {
            message.append(": missing or wrong internal token (set BACKFILL_INTERNAL_TOKEN to the deployment's token)");
        } else if (error != null) {
            message.append(": ").append(error);
        } else if (!answer.body().isBlank()) {
            message.append(": ")
                    .append(answer.body().length() > 300 ? answer.body().substring(0, 300) + "..." : answer.body());
        }
        if (field != null) {
            message.append(" [field: ").append(field).append("]");
        }
        if (code != null && answer.status() != 401) {
            message.append(" [code: ").append(code).append("]");
        }
        throw new OrchestratorException(answer.status(), message.toString(), error, code, field);
    }
}
