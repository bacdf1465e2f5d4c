package io.barsbackfill.common.provider.massive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.ErrorCode;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.provider.ProviderException;
import io.barsbackfill.common.provider.Purpose;
import io.barsbackfill.common.provider.ServedBar;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.MarketSimulator.Endpoint;
import io.barsbackfill.simulator.Provider;
import io.barsbackfill.simulator.SimulatorFaults;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Massive's aggregates as the fetchers read them from the simulator, which speaks Massive's wire format on the same
 * bars as Alpaca's: what a fetch hands over equals what was served (vw and n absent where the bar has none), one
 * request per symbol and window, as many as the limits predict, the key only as a bearer header, never in a URL or
 * a log line, and every refusal mapped to the code the queue acts on.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class MassiveBarsProviderTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String KEY = "test-massive-key"; // %test.backfill.massive.api-key
    static final Series RAW = new Series(Series.MASSIVE, "sip", "raw");
    static final Series SPLIT = new Series(Series.MASSIVE, "sip", "split");
    static final Instant JAN = Instant.parse("2024-01-01T05:00:00Z");

    @InjectSimulator
    MarketSimulator simulator;

    @Inject
    MassiveBarsProvider provider;

    final List<String> logged = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getMessage() + " " + Arrays.toString(r.getParameters()) + " "
                    + (r.getThrown() == null ? "" : r.getThrown().getMessage()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void setUp() {
        simulator.resetCounters();
        simulator.faults(SimulatorFaults.NONE);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void tearDown() {
        Logger.getLogger("").removeHandler(capture);
        simulator.faults(SimulatorFaults.NONE);
        assertThat(logged).as("log lines naming the key").noneMatch(line -> line.contains(KEY));
    }

    @Test
    void aFetchHandsOverWhatWasServedSymbolBySymbolOneRequestPerSymbolAndWindow() {
        // VOXX: the simulator's ticker without vw and n
        List<Ticker> symbols = List.of(new Ticker("AAPL"), new Ticker("VOXX"), new Ticker("SPY"));
        Slice window = new Slice(JAN, Instant.parse("2024-07-01T04:00:00Z"));
        AtomicInteger calls = new AtomicInteger();

        Fetched fetched = fetch(symbols, Timeframe.h1, RAW, window, calls);

        assertThat(fetched.bars().keySet()).as("symbol after symbol").containsExactlyElementsOf(symbols);
        for (Ticker t : symbols) {
            List<Bar> served = simulator.bars(t.value(), Timeframe.h1, window.from(), window.to(), "raw");
            assertThat(fetched.bars().get(t)).as(t.value()).isEqualTo(served);
        }
        assertThat(fetched.bars().get(new Ticker("VOXX")))
                .as("vw and n absent")
                .isNotEmpty()
                .allMatch(b -> b.vwap() == null && b.tradeCount() == null);
        assertThat(fetched.lastFlags()).as("last on the last page only").endsWith(true);
        assertThat(fetched.lastFlags().subList(0, fetched.lastFlags().size() - 1))
                .containsOnly(false);
        long predicted = provider.limits().requests(Timeframe.h1, window, symbols.size());
        assertThat(calls.get())
                .as("the limits' prediction")
                .isEqualTo(predicted)
                .isEqualTo(3 * 3);
        assertThat(simulator.requests(Endpoint.MASSIVE_AGGREGATES)).isEqualTo(calls.get());
    }

    @Test
    void aDemoSizedRangeTakesTheRequestsItsLimitsPredictWithinOneOfTheMinimum() {
        // the demo's range: h1 from 2024-01-01 to 2026-01-10
        Slice range = new Slice(JAN, Instant.parse("2026-01-10T05:00:00Z"));
        Ticker aapl = new Ticker("AAPL");
        AtomicInteger calls = new AtomicInteger();

        Fetched fetched = fetch(List.of(aapl), Timeframe.h1, SPLIT, range, calls);

        assertThat(fetched.bars().get(aapl))
                .isEqualTo(simulator.bars("AAPL", Timeframe.h1, range.from(), range.to(), "split"));
        long base =
                simulator.bars("AAPL", Timeframe.m1, range.from(), range.to()).size();
        long minimum = (base + 49_999) / 50_000;
        long predicted = provider.limits().requests(Timeframe.h1, range, 1);
        System.out.printf(
                "massive h1 %s: %d base aggregates, minimum %d requests, predicted %d, made %d%n",
                range, base, minimum, predicted, calls.get());
        assertThat(calls.get()).isEqualTo(predicted);
        assertThat(predicted).isBetween(minimum, minimum + 1);
    }

    @Test
    void aCutAnswerIsFollowedThroughItsNextUrlWithTheKeyInTheHeader() {
        // one window holding far more than 50,000 base aggregates: the simulator cuts it and names a next_url
        Slice year = new Slice(JAN, Instant.parse("2025-01-01T05:00:00Z"));
        Ticker spy = new Ticker("SPY");
        AtomicInteger calls = new AtomicInteger();
        List<Boolean> lastFlags = new ArrayList<>();
        Map<Ticker, List<Bar>> bars = new LinkedHashMap<>();

        provider.fetch(List.of(spy), Timeframe.h1, RAW, List.of(year), Purpose.fetch, calls, (page, last) -> {
                    lastFlags.add(last);
                    collect(page, bars);
                    return Uni.createFrom().item(true);
                })
                .await()
                .atMost(WAIT);

        assertThat(calls.get()).as("pages followed").isGreaterThan(1);
        assertThat(simulator.requests(Endpoint.MASSIVE_AGGREGATES)).isEqualTo(calls.get());
        assertThat(bars.get(spy)).isEqualTo(simulator.bars("SPY", Timeframe.h1, year.from(), year.to(), "raw"));
        assertThat(lastFlags).hasSize(calls.get()).endsWith(true);
    }

    @Test
    void anUnknownTickerHasNoBarsAndItsCheckNamesIt() {
        AtomicInteger calls = new AtomicInteger();
        Fetched fetched = fetch(
                List.of(new Ticker("NOPE")),
                Timeframe.d1,
                RAW,
                new Slice(JAN, Instant.parse("2024-02-01T05:00:00Z")),
                calls);
        assertThat(fetched.bars()).containsOnlyKeys(new Ticker("NOPE"));
        assertThat(fetched.bars().get(new Ticker("NOPE"))).isEmpty();

        assertThatThrownBy(() -> provider.probe(
                                List.of(new Ticker("AAPL"), new Ticker("NOPE"), new Ticker("MSFT")),
                                Timeframe.d1,
                                RAW,
                                new Slice(JAN, JAN.plusSeconds(86_400)),
                                calls)
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SYMBOL);
                    assertThat(e.invalidSymbol()).contains(new Ticker("NOPE"));
                });
        assertThat(simulator.requests(Endpoint.MASSIVE_TICKERS))
                .as("stops at the unknown one")
                .isEqualTo(2);
    }

    @Test
    void refusalsAreMappedToTheCodesTheQueueActsOn() {
        Slice month = new Slice(JAN, Instant.parse("2024-02-01T05:00:00Z"));
        List<Ticker> aapl = List.of(new Ticker("AAPL"));

        simulator.faults(SimulatorFaults.NONE.withAuthRevoked(true).withProviders(Provider.MASSIVE));
        assertThat(failure(aapl, month).code()).isEqualTo(ErrorCode.PROVIDER_AUTH);

        simulator.faults(SimulatorFaults.NONE.withOutage(503).withProviders(Provider.MASSIVE));
        ProviderException outage = failure(aapl, month);
        assertThat(outage.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        assertThat(outage.getMessage()).contains("503");

        simulator.faults(SimulatorFaults.NONE.withTruncatedRate(1.0).withProviders(Provider.MASSIVE));
        assertThat(failure(aapl, month).code()).isEqualTo(ErrorCode.PROVIDER_MALFORMED);

        simulator.faults(SimulatorFaults.NONE.withTooManyRequests(1.0, 1).withProviders(Provider.MASSIVE));
        ProviderException limited = failure(aapl, month);
        assertThat(limited.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(limited.retryAfter()).contains(Duration.ofSeconds(1));

        simulator.faults(SimulatorFaults.NONE.withOutage(503).withProviders(Provider.ALPACA));
        assertThat(fetch(aapl, Timeframe.d1, RAW, month, new AtomicInteger())
                        .bars()
                        .get(aapl.get(0)))
                .as("Alpaca's outage is not Massive's")
                .isNotEmpty();
    }

    private ProviderException failure(List<Ticker> symbols, Slice window) {
        Throwable[] failed = new Throwable[1];
        try {
            fetch(symbols, Timeframe.d1, RAW, window, new AtomicInteger());
        } catch (ProviderException e) {
            failed[0] = e;
        }
        assertThat(failed[0]).as("a failure").isInstanceOf(ProviderException.class);
        return (ProviderException) failed[0];
    }

    private record Fetched(Map<Ticker, List<Bar>> bars, List<Boolean> lastFlags) {}

    private Fetched fetch(List<Ticker> symbols, Timeframe timeframe, Series series, Slice window, AtomicInteger calls) {
        Map<Ticker, List<Bar>> bars = new LinkedHashMap<>();
        List<Boolean> lastFlags = new ArrayList<>();
        provider.fetch(symbols, timeframe, series, window, Purpose.fetch, calls, (page, last) -> {
                    lastFlags.add(last);
                    collect(page, bars);
                    return Uni.createFrom().item(true);
                })
                .await()
                .atMost(WAIT);
        return new Fetched(bars, lastFlags);
    }

    private static void collect(Map<Ticker, List<ServedBar>> page, Map<Ticker, List<Bar>> into) {
        page.forEach((t, served) -> {
            List<Bar> list = into.computeIfAbsent(t, k -> new ArrayList<>());
            served.forEach(s -> list.add(s.bar()));
        });
    }
}
