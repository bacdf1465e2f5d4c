package io.barsbackfill.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.barsbackfill.orchestrator.api.OrchestratorRequest;
import io.barsbackfill.orchestrator.api.StatusReport;
import io.barsbackfill.orchestrator.api.TickResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * {@code POST <url>/orchestrator {action, ...}} with the internal bearer token. Requests and answers are the
 * orchestrator's own records (module orchestrator-api), so a field renamed there breaks this client's build; a
 * field added there is ignored when read ({@link HttpJson#JSON}). {@link #call(OrchestratorRequest)} gives the
 * answer as it came, a Jackson tree. Anything but 2xx is an {@link OrchestratorException} carrying the server's
 * {@code error}, {@code code} and {@code field}.
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

    /** A request of {@code action} alone. */
    public static OrchestratorRequest request(String action) {
        return OrchestratorRequest.builder(action).build();
    }

    /**
     * {@code enqueue} request that rejects tickers the provider does not know; {@code to}, {@code priority} may be
     * null.
     */
    public static OrchestratorRequest enqueueRequest(
            String name, List<String> symbols, String timeframe, String from, String to, Integer priority) {
        return enqueueRequest(name, symbols, timeframe, from, to, priority, null);
    }

    /**
     * {@code enqueue} request; {@code to}, {@code priority} and {@code onUnknown} ({@code reject|skip}) may be null.
     */
    public static OrchestratorRequest enqueueRequest(
            String name,
            List<String> symbols,
            String timeframe,
            String from,
            String to,
            Integer priority,
            String onUnknown) {
        return OrchestratorRequest.builder("enqueue")
                .name(name)
                .symbols(symbols)
                .timeframe(timeframe)
                .from(from)
                .to(to)
                .priority(priority)
                .onUnknown(onUnknown)
                .build();
    }

    public TickResult tick() {
        return call(request("tick"), TickResult.class);
    }

    public StatusReport status() {
        return call(request("status"), StatusReport.class);
    }

    /** The answer to {@code request} as {@code type}, the record of its action. */
    public <T> T call(OrchestratorRequest request, Class<T> type) {
        return read(request.action(), call(request), type);
    }

    /**
     * A 2xx answer to {@code action} as {@code type}; an answer that is no JSON object, or has a field of another
     * type, is an {@link OrchestratorException}.
     */
    public <T> T read(String action, JsonNode answer, Class<T> type) {
        if (!answer.isObject()) {
            throw new OrchestratorException(
                    0,
                    "the orchestrator at " + endpoint + " answered '" + action + "' without a JSON object",
                    null,
                    null,
                    null);
        }
        try {
            return HttpJson.read(answer, type);
        } catch (IllegalArgumentException e) {
            throw new OrchestratorException(
                    0,
                    "the orchestrator at " + endpoint + " answered '" + action + "' with " + e.getMessage(),
                    null,
                    null,
                    null);
        }
    }

    /** The answer to {@code request} as it came. */
    public JsonNode call(OrchestratorRequest request) {
        return call(request, "tick".equals(request.action()) ? TICK_TIMEOUT : DEFAULT_TIMEOUT);
    }

    public JsonNode call(OrchestratorRequest request, Duration timeout) {
        String action = request.action();
        HttpJson.Answer answer;
        try {
            answer = http.post(endpoint, authorization, HttpJson.write(request), timeout);
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
