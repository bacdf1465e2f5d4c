package io.barsbackfill.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Provider faults a {@link MarketSimulator} injects into provider requests (both providers unless
 * {@link #providers()} says otherwise), all off by default. Set at start
 * ({@link SimulatorSettings#withFaults}, standalone: {@code SIMULATOR_FAULTS} holding the JSON of the
 * {@code POST}) and changed at runtime through {@code POST /_simulator/faults} (JSON, snake_case names of these
 * components; {@code latency_spike_ms} for {@code latencySpike}; the symbol sets are arrays of strings).
 *
 * <p>The rates draw from a seeded sequence. The symbol sets are the quiet faults: deterministic 200s whose data
 * is wrong, for the tickers they name. Their entries must look like tickers (1 to 20 characters, no whitespace,
 * no commas) but need not be in the universe. The multi-symbol endpoint applies all four, the single-symbol one
 * only {@code strayBarSymbols} and {@code duplicateTimestampSymbols}; Massive's aggregates apply all four, one
 * ticker per request: an omitted ticker gets no results, an early-end one no {@code next_url}.
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
 * @param omitSymbols         left out of multi-symbol answers: pages are cut as without the fault (same bars of
 *                            the other symbols, same tokens), then these symbols' bars are dropped, so a page
 *                            may be short or even empty and still carry a token
 * @param endEarlySymbols     a multi-symbol sequence ends, without token, right before the first of these in page
 *                            (alphabetical) order, whether or not it has bars; it and every later symbol get
 *                            nothing. A token at or after that symbol (from before the fault) gets an empty page
 * @param strayBarSymbols     a page that carries the first bars of such a symbol's sequence (not a resumption
 *                            inside it) carries first, for it, one extra well-formed bar stamped one day before
 *                            the requested start, truncated to the minute
 * @param duplicateTimestampSymbols a page that carries bars of such a symbol repeats its first bar on the page
 *                            right after it (same timestamp, same values; after the stray bar, that one)
 * @param providers           whose requests these faults apply to (both by default); the other provider's
 *                            requests see none of them
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
        double outOfRangeRate,
        Set<String> omitSymbols,
        Set<String> endEarlySymbols,
        Set<String> strayBarSymbols,
        Set<String> duplicateTimestampSymbols,
        Set<Provider> providers) {

    public static final SimulatorFaults NONE = new SimulatorFaults(
            0,
            false,
            0,
            0,
            0,
            1,
            0,
            0,
            Duration.ZERO,
            0,
            0,
            Set.of(),
            Set.of(),
            Set.of(),
            Set.of(),
            EnumSet.allOf(Provider.class));

    /** Longer than any real ticker, short enough to rule out a list pasted into one entry. */
    private static final int MAX_TICKER_LENGTH = 20;

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
        omitSymbols = tickers("omit_symbols", omitSymbols);
        endEarlySymbols = tickers("end_early_symbols", endEarlySymbols);
        strayBarSymbols = tickers("stray_bar_symbols", strayBarSymbols);
        duplicateTimestampSymbols = tickers("duplicate_timestamp_symbols", duplicateTimestampSymbols);
        Objects.requireNonNull(providers, "providers");
        if (providers.isEmpty() || providers.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("providers must name alpaca, massive or both");
        }
        providers = Collections.unmodifiableSet(EnumSet.copyOf(providers));
    }

    /** These faults for a request of {@code provider}: all of them, or {@link #NONE} if they are not its. */
    SimulatorFaults forProvider(Provider provider) {
        return providers.contains(provider) ? this : NONE;
    }

    private static void rate(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1: " + value);
        }
    }

    /** Validated, sorted (so {@code GET /_simulator/faults} lists them in a stable order) and unmodifiable. */
    private static Set<String> tickers(String name, Set<String> symbols) {
        Objects.requireNonNull(symbols, name);
        for (String symbol : symbols) {
            if (!isPlausibleTicker(symbol)) {
                throw new IllegalArgumentException(name + " must hold tickers (1.." + MAX_TICKER_LENGTH
                        + " characters, no whitespace or commas): \"" + symbol + "\"");
            }
        }
        return Collections.unmodifiableSortedSet(new TreeSet<>(symbols));
    }

    private static boolean isPlausibleTicker(String symbol) {
        return symbol != null
                && !symbol.isEmpty()
                && symbol.length() <= MAX_TICKER_LENGTH
                && symbol.codePoints()
                        .noneMatch(c -> c == ',' || Character.isWhitespace(c) || Character.isSpaceChar(c));
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

    /** Replaces {@link #omitSymbols()}; an empty collection turns the fault off. */
    public SimulatorFaults withOmittedSymbols(Collection<String> symbols) {
        return edit(f -> f.omitSymbols = copy(symbols));
    }

    public SimulatorFaults withOmittedSymbols(String... symbols) {
        return withOmittedSymbols(Arrays.asList(symbols));
    }

    /** Replaces {@link #endEarlySymbols()}; an empty collection turns the fault off. */
    public SimulatorFaults withEarlyEndSymbols(Collection<String> symbols) {
        return edit(f -> f.endEarlySymbols = copy(symbols));
    }

    public SimulatorFaults withEarlyEndSymbols(String... symbols) {
        return withEarlyEndSymbols(Arrays.asList(symbols));
    }

    /** Replaces {@link #strayBarSymbols()}; an empty collection turns the fault off. */
    public SimulatorFaults withStraySymbols(Collection<String> symbols) {
        return edit(f -> f.strayBarSymbols = copy(symbols));
    }

    public SimulatorFaults withStraySymbols(String... symbols) {
        return withStraySymbols(Arrays.asList(symbols));
    }

    /** Replaces {@link #duplicateTimestampSymbols()}; an empty collection turns the fault off. */
    public SimulatorFaults withDuplicateSymbols(Collection<String> symbols) {
        return edit(f -> f.duplicateTimestampSymbols = copy(symbols));
    }

    public SimulatorFaults withDuplicateSymbols(String... symbols) {
        return withDuplicateSymbols(Arrays.asList(symbols));
    }

    /** The faults apply to these providers' requests only; the others see none. */
    public SimulatorFaults withProviders(Provider... providers) {
        List<Provider> list = Arrays.asList(providers);
        return edit(f -> f.providers = new HashSet<>(list));
    }

    /** A null entry survives the copy, so that the constructor refuses it with the field's name. */
    private static Set<String> copy(Collection<String> symbols) {
        return new HashSet<>(Objects.requireNonNull(symbols, "symbols"));
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
        Set<String> omitSymbols;
        Set<String> endEarlySymbols;
        Set<String> strayBarSymbols;
        Set<String> duplicateTimestampSymbols;
        Set<Provider> providers;

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
            omitSymbols = f.omitSymbols;
            endEarlySymbols = f.endEarlySymbols;
            strayBarSymbols = f.strayBarSymbols;
            duplicateTimestampSymbols = f.duplicateTimestampSymbols;
            providers = f.providers;
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
                    outOfRangeRate,
                    omitSymbols,
                    endEarlySymbols,
                    strayBarSymbols,
                    duplicateTimestampSymbols,
                    providers);
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
            case "omit_symbols" -> withOmittedSymbols(strings(name, value));
            case "end_early_symbols" -> withEarlyEndSymbols(strings(name, value));
            case "stray_bar_symbols" -> withStraySymbols(strings(name, value));
            case "duplicate_timestamp_symbols" -> withDuplicateSymbols(strings(name, value));
            case "providers" -> withProviders(providers(name, value));
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

    private static List<String> strings(String name, JsonNode value) {
        if (!value.isArray()) {
            throw new IllegalArgumentException(name + " must be an array of ticker strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException(name + " must be an array of ticker strings");
            }
            strings.add(element.textValue());
        }
        return strings;
    }

    private static Provider[] providers(String name, JsonNode value) {
        List<String> names = strings(name, value);
        Provider[] providers = new Provider[names.size()];
        for (int i = 0; i < providers.length; i++) {
            String wireName = names.get(i);
            providers[i] = Provider.fromWireName(wireName)
                    .orElseThrow(() -> new IllegalArgumentException(
                            name + " must name alpaca, massive or both: \"" + wireName + "\""));
        }
        return providers;
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
            writeStrings(json, "omit_symbols", omitSymbols);
            writeStrings(json, "end_early_symbols", endEarlySymbols);
            writeStrings(json, "stray_bar_symbols", strayBarSymbols);
            writeStrings(json, "duplicate_timestamp_symbols", duplicateTimestampSymbols);
            writeStrings(
                    json,
                    "providers",
                    providers.stream().map(Provider::wireName).toList());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeStrings(JsonGenerator json, String name, Collection<String> strings) throws IOException {
        json.writeArrayFieldStart(name);
        for (String s : strings) {
            json.writeString(s);
        }
        json.writeEndArray();
    }
}
