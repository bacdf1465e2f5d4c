package io.barsbackfill.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulator saw of provider requests ("bars requests": Alpaca's bars, Massive's aggregates and ticker
 * details), for tests and demos ({@code GET /_simulator/stats}): how many there were, in all and per
 * {@link MarketSimulator.Endpoint}, the most answered at once, and every symbol any of them named, rejected ones
 * included (a label such as {@code US_BATCH_1} sent as a symbol shows up here even though the answer was a 400),
 * and when each arrived (epoch milliseconds), so a test can count requests in any time window. Thread-safe.
 */
final class SimulatorStats {

    static final String PATH = "/_simulator/stats";

    private static final JsonFactory JSON = new JsonFactory();

    private final AtomicLong barRequests = new AtomicLong();
    private final Map<MarketSimulator.Endpoint, AtomicLong> byEndpoint = new EnumMap<>(MarketSimulator.Endpoint.class);
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final ConcurrentSkipListSet<String> symbols = new ConcurrentSkipListSet<>();
    private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();

    SimulatorStats() {
        for (MarketSimulator.Endpoint endpoint : MarketSimulator.Endpoint.values()) {
            byEndpoint.put(endpoint, new AtomicLong());
        }
    }

    /** A provider request arrived: counts it and records the symbols it names (in its path or {@code symbols=}). */
    void requested(ApiRoute route, String rawQuery) {
        barRequests.incrementAndGet();
        byEndpoint.get(route.endpoint()).incrementAndGet();
        Optional<String> pathSymbol = route.symbol();
        arrivals.add(System.currentTimeMillis());
        if (pathSymbol.isPresent()) {
            symbols.add(pathSymbol.get());
            return;
        }
        try {
            QueryString.parse(rawQuery).get("symbols").ifPresent(list -> {
                for (String symbol : list.split(",", -1)) {
                    if (!symbol.isEmpty()) {
                        symbols.add(symbol);
                    }
                }
            });
        } catch (ApiException e) {
            // an undecodable query names no symbol; the request itself is answered 400 as before
        }
    }

    /** A bars request is being answered (latency included); pair with {@link #left()}. */
    void entered() {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
    }

    void left() {
        concurrent.decrementAndGet();
    }

    long barRequests() {
        return barRequests.get();
    }

    long requests(MarketSimulator.Endpoint endpoint) {
        return byEndpoint.get(endpoint).get();
    }

    void reset() {
        barRequests.set(0);
        byEndpoint.values().forEach(count -> count.set(0));
        maxConcurrent.set(concurrent.get());
        symbols.clear();
        arrivals.clear();
    }

    /** When each bars request arrived, epoch milliseconds, in arrival order. */
    List<Long> arrivals() {
        return arrivals.stream().sorted().toList();
    }

    MarketSimulator.Stats snapshot() {
        return new MarketSimulator.Stats(barRequests.get(), maxConcurrent.get(), List.copyOf(symbols));
    }

    /**
     * {@code {"bar_requests": n, "requests": {"alpaca_bars": n, "massive_aggregates": n, "massive_tickers": n},
     * "max_concurrent_bar_requests": n, "symbols_requested": [...], "bar_request_times_ms": [...]}}
     */
    byte[] json() {
        MarketSimulator.Stats s = snapshot();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("bar_requests", s.barRequests());
            json.writeObjectFieldStart("requests");
            for (MarketSimulator.Endpoint endpoint : MarketSimulator.Endpoint.values()) {
                json.writeNumberField(endpoint.statsName(), requests(endpoint));
            }
            json.writeEndObject();
            json.writeNumberField("max_concurrent_bar_requests", s.maxConcurrentBarRequests());
            json.writeArrayFieldStart("symbols_requested");
            for (String symbol : s.symbolsRequested()) {
                json.writeString(symbol);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("bar_request_times_ms");
            for (long t : arrivals()) {
                json.writeNumber(t);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
