package io.barsbackfill.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Provider faults a {@link MarketSimulator} injects into bars requests, all off by default. Set at start
 * ({@link SimulatorSettings#withFaults}, {@code SIMULATOR_FAULT_*}) and changed at runtime through
 * {@code POST /_simulator/faults} (JSON, snake_case names of these components; {@code latency_spike_ms} for
 * {@code latencySpike}).
 *
 * @param outageStatus        0 = off; otherwise every bars request is answered with this 5xx status
 * @param authRevoked         every bars request is answered 401, whatever keys it carries
 * @param truncatedRate       probability of a 200 whose JSON body is cut in half
 * @param wrongTypeRate       probability of a 200 whose body is JSON of the wrong shape (strings for prices)
 * @param tooManyRequestsRate probability of a 429 carrying {@code Retry-After: retryAfterSeconds}
 * @param retryAfterSeconds   the Retry-After of injected 429s
 * @param serverErrorRate     probability of a 500, 502, 503 or 504
 * @param latencySpikeRate    probability that an answer is delayed by {@code latencySpike} first
 * @param latencySpike        the delay of a latency spike
 * @param pageTokenLoopRate   probability that a page's {@code next_page_token} points back at the same page
 * @param outOfRangeRate      probability that a page carries one extra bar a day after the requested end
 */
public record SimulatorFaults(
        int outageStatus,
        boolean authRevoked,
        double truncatedRate,
        double wrongTypeRate,
        double tooManyRequestsRate,
        long retryAfterSeconds,
        double serverErrorRate,
        double latencySpikeRate,
        Duration latencySpike,
        double pageTokenLoopRate,
        double outOfRangeRate) {

    public static final SimulatorFaults NONE = new SimulatorFaults(0, false, 0, 0, 0, 1, 0, 0, Duration.ZERO, 0, 0);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory JSON_FACTORY = new JsonFactory();

    public SimulatorFaults {
        Objects.requireNonNull(latencySpike, "latencySpike");
        if (outageStatus != 0 && (outageStatus < 500 || outageStatus > 599)) {
            throw new IllegalArgumentException("outage_status must be 0 (off) or within 500..599: " + outageStatus);
        }
        rate("truncated_rate", truncatedRate);
        rate("wrong_type_rate", wrongTypeRate);
        rate("too_many_requests_rate", tooManyRequestsRate);
        rate("server_error_rate", serverErrorRate);
        rate("latency_spike_rate", latencySpikeRate);
        rate("page_token_loop_rate", pageTokenLoopRate);
        rate("out_of_range_rate", outOfRangeRate);
        if (retryAfterSeconds < 0 || retryAfterSeconds > 86_400) {
            throw new IllegalArgumentException("retry_after_seconds must be within 0..86400: " + retryAfterSeconds);
        }
        if (latencySpike.isNegative() || latencySpike.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("latency_spike_ms must be within 0..600000: " + latencySpike.toMillis());
        }
    }

    private static void rate(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1: " + value);
        }
    }

    public SimulatorFaults withOutage(int status) {
        return edit(f -> f.outageStatus = status);
    }

    public SimulatorFaults withAuthRevoked(boolean revoked) {
        return edit(f -> f.authRevoked = revoked);
    }

    public SimulatorFaults withTruncatedRate(double rate) {
        return edit(f -> f.truncatedRate = rate);
    }

    public SimulatorFaults withWrongTypeRate(double rate) {
        return edit(f -> f.wrongTypeRate = rate);
    }

    public SimulatorFaults withTooManyRequests(double rate, long retryAfterSeconds) {
        return edit(f -> {
            f.tooManyRequestsRate = rate;
            f.retryAfterSeconds = retryAfterSeconds;
        });
    }

    public SimulatorFaults withServerErrorRate(double rate) {
        return edit(f -> f.serverErrorRate = rate);
    }

    public SimulatorFaults withLatencySpikes(double rate, Duration spike) {
        return edit(f -> {
            f.latencySpikeRate = rate;
            f.latencySpike = spike;
        });
    }

    public SimulatorFaults withPageTokenLoopRate(double rate) {
        return edit(f -> f.pageTokenLoopRate = rate);
    }

    public SimulatorFaults withOutOfRangeRate(double rate) {
        return edit(f -> f.outOfRangeRate = rate);
    }

    /** A copy with {@code change} applied; the constructor validates the result. */
    private SimulatorFaults edit(Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return draft.build();
    }

    /** The components, mutable while one {@code with*} changes some of them. */
    private static final class Draft {
        int outageStatus;
        boolean authRevoked;
        double truncatedRate;
        double wrongTypeRate;
        double tooManyRequestsRate;
        long retryAfterSeconds;
        double serverErrorRate;
        double latencySpikeRate;
        Duration latencySpike;
        double pageTokenLoopRate;
        double outOfRangeRate;

        Draft(SimulatorFaults f) {
            outageStatus = f.outageStatus;
            authRevoked = f.authRevoked;
            truncatedRate = f.truncatedRate;
            wrongTypeRate = f.wrongTypeRate;
            tooManyRequestsRate = f.tooManyRequestsRate;
            retryAfterSeconds = f.retryAfterSeconds;
            serverErrorRate = f.serverErrorRate;
            latencySpikeRate = f.latencySpikeRate;
            latencySpike = f.latencySpike;
            pageTokenLoopRate = f.pageTokenLoopRate;
            outOfRangeRate = f.outOfRangeRate;
        }

        SimulatorFaults build() {
            return new SimulatorFaults(
                    outageStatus,
                    authRevoked,
                    truncatedRate,
                    wrongTypeRate,
                    tooManyRequestsRate,
                    retryAfterSeconds,
                    serverErrorRate,
                    latencySpikeRate,
                    latencySpike,
                    pageTokenLoopRate,
                    outOfRangeRate);
        }
    }

    /**
     * These faults with the fields named in {@code body} (a JSON object) replaced; fields it does not name
     * keep their value.
     *
     * @throws IllegalArgumentException for a body that is not a JSON object, an unknown field or a bad value
     */
    SimulatorFaults merge(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        SimulatorFaults faults = this;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            faults = faults.with(field.getKey(), field.getValue());
        }
        return faults;
    }

    private SimulatorFaults with(String name, JsonNode value) {
        return switch (name) {
            case "outage_status" -> withOutage(integer(name, value));
            case "auth_revoked" -> withAuthRevoked(bool(name, value));
            case "truncated_rate" -> withTruncatedRate(number(name, value));
            case "wrong_type_rate" -> withWrongTypeRate(number(name, value));
            case "too_many_requests_rate" -> withTooManyRequests(number(name, value), retryAfterSeconds);
            case "retry_after_seconds" -> withTooManyRequests(tooManyRequestsRate, integer(name, value));
            case "server_error_rate" -> withServerErrorRate(number(name, value));
            case "latency_spike_rate" -> withLatencySpikes(number(name, value), latencySpike);
            case "latency_spike_ms" -> withLatencySpikes(latencySpikeRate, Duration.ofMillis(integer(name, value)));
            case "page_token_loop_rate" -> withPageTokenLoopRate(number(name, value));
            case "out_of_range_rate" -> withOutOfRangeRate(number(name, value));
            default -> throw new IllegalArgumentException("unknown field: " + name);
        };
    }

    private static int integer(String name, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
        return value.intValue();
    }

    private static boolean bool(String name, JsonNode value) {
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(name + " must be true or false");
        }
        return value.booleanValue();
    }

    private static double number(String name, JsonNode value) {
        if (!value.isNumber()) {
            throw new IllegalArgumentException(name + " must be a number");
        }
        return value.doubleValue();
    }

    /** The JSON {@code GET /_simulator/faults} answers: every field, snake_case. */
    byte[] json() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON_FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("outage_status", outageStatus);
            json.writeBooleanField("auth_revoked", authRevoked);
            json.writeNumberField("truncated_rate", truncatedRate);
            json.writeNumberField("wrong_type_rate", wrongTypeRate);
            json.writeNumberField("too_many_requests_rate", tooManyRequestsRate);
            json.writeNumberField("retry_after_seconds", retryAfterSeconds);
            json.writeNumberField("server_error_rate", serverErrorRate);
            json.writeNumberField("latency_spike_rate", latencySpikeRate);
            json.writeNumberField("latency_spike_ms", latencySpike.toMillis());
            json.writeNumberField("page_token_loop_rate", pageTokenLoopRate);
            json.writeNumberField("out_of_range_rate", outOfRangeRate);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
