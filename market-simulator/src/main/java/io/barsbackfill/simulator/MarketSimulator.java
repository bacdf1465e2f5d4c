package io.barsbackfill.simulator;

import com.sun.net.httpserver.HttpServer;
import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Timeframe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Alpaca's historical stock bars API ({@code /v2/stocks/bars} and
 * {@code /v2/stocks/{symbol}/bars}) and Massive's aggregates ({@code /v2/aggs/ticker/{ticker}/range/...}, with
 * {@code /v3/reference/tickers/{ticker}}), serving the same deterministic synthetic bars on the NYSE calendar to
 * both. The {@code feed} parameter is validated but does not change the bars; {@code adjustment} does for
 * tickers with a split ({@link Splits}: AAPL 4:1 on 2020-08-31), and Massive's {@code adjusted=true} is Alpaca's
 * {@code split}, {@code false} its {@code raw}. The bars of {@link BarFactory#WITHOUT_STATISTICS} (VOXX) carry no
 * {@code vw} and {@code n}. Each provider has its own keys ({@link SimulatorSettings#keyId()},
 * {@link MassiveSettings#apiKey()}) and rate budget; Massive's limit and {@code next_url} are described in
 * {@link MassiveAggregates}.
 *
 * <p>Control endpoints (no keys needed, not bars requests):
 * <ul>
 * <li>{@code GET /_simulator/stats}: {@code {"bar_requests", "requests", "max_concurrent_bar_requests",
 * "symbols_requested", "bar_request_times_ms"}}; {@code bar_requests} counts the requests to either provider,
 * {@code requests} them per {@link Endpoint}.
 * <li>{@code GET /_simulator/faults}: the {@link SimulatorFaults} in force, every field.
 * <li>{@code POST /_simulator/faults} with a JSON object: changes the fields it names, keeps the others, and
 * answers like {@code GET}; an unknown field or a bad value is a 400 {@code {"message"}} and changes nothing.
 * Fields: {@code outage_status} (0 = off, or a 5xx such as 503 answered to every bars request),
 * {@code auth_revoked} (true: 401 for every bars request), {@code truncated_rate} (200 with the JSON body cut
 * in half), {@code wrong_type_rate} (200 with strings where prices belong), {@code too_many_requests_rate} with
 * {@code retry_after_seconds} (429 with that {@code Retry-After}), {@code server_error_rate} (500/502/503/504),
 * {@code latency_spike_rate} with {@code latency_spike_ms} (the answer is delayed that long first),
 * {@code page_token_loop_rate} (the next page token points back at the same page) and
 * {@code out_of_range_rate} (one extra bar a day after the requested end). Rates are probabilities 0..1.
 * The quiet faults are arrays of tickers, deterministic 200s with wrong data ({@link SimulatorFaults} has the
 * details): {@code omit_symbols} (left out of multi-symbol answers), {@code end_early_symbols} (a multi-symbol
 * sequence ends without token right before the first of them), {@code stray_bar_symbols} (the page with a
 * symbol's first bars also carries one a day before the start) and {@code duplicate_timestamp_symbols} (a
 * page's first bar of the symbol is served twice); on Massive an omitted ticker gets no results and an early-end
 * ticker no {@code next_url}. {@code providers} (default {@code ["alpaca","massive"]}) limits all faults to
 * those providers' requests.
 * Example: {@code curl -d '{"outage_status":503}' http://127.0.0.1:18080/_simulator/faults}.
 * <li>{@code DELETE /_simulator/faults}: every fault off.
 * </ul>
 * Faults apply to provider requests in this order: latency spike, revoked keys (401), outage, the provider's rate
 * limit (a real 429), injected 429, the settings' {@code errorRate} 500, injected 5xx, then at most one distorted
 * 200 body, on top of the quiet faults. Error bodies are each provider's: Alpaca's {@code {"message": "..."}},
 * Massive's {@code {"status":"ERROR","request_id","error"}}. All faults are off
 * unless set at start ({@link SimulatorSettings#faults()}, standalone: {@code SIMULATOR_FAULTS} holding the
 * same JSON as the {@code POST}) or at runtime.
 */
public final class MarketSimulator implements AutoCloseable {

    private static final int THREADS = 32;

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: ~40 ms per
        // request. Only read when the JDK's HTTP server is first used, so it must be set before that.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ApiHandler handler;
    private final BarGenerator generator;
    private final SimulatorSettings settings;

    private MarketSimulator(
            HttpServer server,
            ExecutorService executor,
            ApiHandler handler,
            BarGenerator generator,
            SimulatorSettings settings) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
        this.generator = generator;
        this.settings = settings;
    }

    /** Starts serving on 127.0.0.1:{@code port}; port 0 picks a free port. */
    public static MarketSimulator start(int port, SimulatorSettings settings) {
        return start(port, settings, Clock.systemUTC());
    }

    /** With a chosen clock for the rate-limit window and the default start/end ("today", "now"). */
    static MarketSimulator start(int port, SimulatorSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        BarGenerator generator = new BarGenerator();
        PageFaults pageFaults = new PageFaults(new QuietFaults(generator));
        MassiveSettings massive = settings.massive();
        ApiHandler handler = new ApiHandler(
                settings,
                new FaultInjector(settings.errorRate(), settings.seed(), settings.faults()),
                List.of(
                        new AlpacaApi(
                                settings,
                                new RateLimiter(settings.requestsPerMinute(), clock),
                                new BarsEndpoint(
                                        new BarsQueryParser(settings.universe(), clock),
                                        new BarsPager(generator),
                                        pageFaults)),
                        new MassiveApi(
                                massive,
                                settings.universe(),
                                new RateLimiter(massive.requestsPerMinute(), clock),
                                new MassiveAggregates(settings.universe(), generator, pageFaults, massive.nextUrl()))));
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return new MarketSimulator(server, executor, handler, generator, settings);
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /**
     * Requests to a provider endpoint (Alpaca's bars, Massive's aggregates and ticker details) answered so far,
     * whatever their status (401, 429 and 500 included).
     */
    public long barRequests() {
        return handler.barRequests();
    }

    /** As {@link #barRequests()}, those to {@code endpoint} only. */
    public long requests(Endpoint endpoint) {
        return handler.stats().requests(endpoint);
    }

    /** As {@link #barRequests()}, those to {@code provider}'s endpoints only. */
    public long requests(Provider provider) {
        return Arrays.stream(Endpoint.values())
                .filter(e -> e.provider() == provider)
                .mapToLong(this::requests)
                .sum();
    }

    /** The provider endpoints, as {@code /_simulator/stats} counts them under {@code requests}. */
    public enum Endpoint {
        /** {@code /v2/stocks/bars} and {@code /v2/stocks/{symbol}/bars} */
        ALPACA_BARS(Provider.ALPACA, "alpaca_bars"),
        /** {@code /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}} */
        MASSIVE_AGGREGATES(Provider.MASSIVE, "massive_aggregates"),
        /** {@code /v3/reference/tickers/{ticker}} */
        MASSIVE_TICKERS(Provider.MASSIVE, "massive_tickers");

        private final Provider provider;
        private final String statsName;

        Endpoint(Provider provider, String statsName) {
            this.provider = provider;
            this.statsName = statsName;
        }

        public Provider provider() {
            return provider;
        }

        String statsName() {
            return statsName;
        }
    }

    /** The most bars requests answered at the same time so far (latency included). */
    public int maxConcurrentBarRequests() {
        return handler.stats().snapshot().maxConcurrentBarRequests();
    }

    /** Every symbol named by a bars request so far, rejected ones included, sorted and distinct. */
    public List<String> symbolsRequested() {
        return handler.stats().snapshot().symbolsRequested();
    }

    /** When each bars request so far arrived (epoch milliseconds, ascending); also in {@code /_simulator/stats}. */
    public List<Long> barRequestTimes() {
        return handler.stats().arrivals();
    }

    /** All three figures at once; {@code GET /_simulator/stats} answers the same as JSON. */
    public Stats stats() {
        return handler.stats().snapshot();
    }

    /** The provider faults in force now. */
    public SimulatorFaults faults() {
        return handler.faults().faults();
    }

    /** Replaces the provider faults in force; as {@code POST /_simulator/faults} with every field. */
    public void faults(SimulatorFaults faults) {
        handler.faults().faults(faults);
    }

    /**
     * From the {@code nth} bars request since the last {@link #resetCounters()} on, every bars request is answered
     * with {@code status} (a 5xx), as in an outage that starts in the middle of a fetch: page {@code nth} of a
     * fetch and everything after it fail. Off again after {@link #resetCounters()}.
     */
    public void outageFromRequest(long nth, int status) {
        if (nth < 1 || status < 500 || status > 599) {
            throw new IllegalArgumentException("nth >= 1 and a 5xx status: " + nth + ", " + status);
        }
        handler.outageFromRequest(nth, status);
    }

    /**
     * Holds every bars request from now on unanswered, once counted ({@link #barRequests()}), until the returned
     * {@link Hold} is closed (or {@link #resetCounters()}, or 2 minutes at most): a test's window between a request
     * reaching the provider and its answer, without a fixed delay. In process only; not over HTTP.
     */
    public Hold holdAnswers() {
        handler.hold();
        return handler::release;
    }

    /** Releases the requests {@link #holdAnswers()} held; later ones are answered at once. */
    @FunctionalInterface
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Back to a fresh start: request count, request statistics, rate-limit window and the injected-fault
     * sequence.
     */
    public void resetCounters() {
        handler.resetCounters();
    }

    /**
     * Exactly the raw bars served for {@code ticker} with {@code from <= t < to}, in time order (the API's
     * {@code end} is inclusive, this {@code to} is not).
     *
     * @throws IllegalArgumentException for a ticker outside the universe (the API answers 400 for it)
     */
    public List<Bar> bars(String ticker, Timeframe timeframe, Instant from, Instant to) {
        return bars(ticker, timeframe, from, to, "raw");
    }

    /** As {@link #bars(String, Timeframe, Instant, Instant)}, with the price adjustment asked for. */
    public List<Bar> bars(String ticker, Timeframe timeframe, Instant from, Instant to, String adjustment) {
        if (!settings.universe().contains(ticker)) {
            throw new IllegalArgumentException("not in the simulator's universe: " + ticker);
        }
        return generator
                .bars(ticker, Objects.requireNonNull(timeframe, "timeframe"), from, to, adjustment)
                .toList();
    }

    /**
     * What Massive's {@code limit} counts for a request of {@code timeframe} bars of {@code ticker} with
     * {@code from <= t < to}: its base aggregates, the m1 bars for m* and h*, the d1 bars for d1 and w1.
     */
    public long baseAggregates(String ticker, Timeframe timeframe, Instant from, Instant to) {
        boolean daily = timeframe == Timeframe.d1 || timeframe == Timeframe.w1;
        return generator
                .starts(ticker, daily ? Timeframe.d1 : Timeframe.m1, from, to)
                .count();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * What {@code GET /_simulator/stats} answers ({@code bar_requests}, {@code max_concurrent_bar_requests},
     * {@code symbols_requested}).
     *
     * @param barRequests              as {@link #barRequests()}
     * @param maxConcurrentBarRequests as {@link #maxConcurrentBarRequests()}
     * @param symbolsRequested         as {@link #symbolsRequested()}
     */
    public record Stats(long barRequests, int maxConcurrentBarRequests, List<String> symbolsRequested) {}

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "market-simulator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
