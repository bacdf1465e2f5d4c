package io.barsbackfill.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.domain.TradingCalendar;
import io.barsbackfill.common.provider.ProviderLimits;
import io.barsbackfill.orchestrator.DispatchPacking.Candidate;
import io.barsbackfill.orchestrator.DispatchPacking.Limits;
import io.barsbackfill.orchestrator.DispatchPacking.ProviderBudget;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How ready runs are cut into dispatches that fill whole provider pages. */
class DispatchPackingTest {

    private static final Series IEX = Series.alpaca("iex", "raw");
    private static final Limits LIMITS = new Limits(50, 1000, 10, 10_000);
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();

    @Test
    void theDemosQueueBecomesFewDispatchesEachAsManyConsecutiveSlicesAsFitInTenPages() {
        // 61 tickers x 25 months of h1, in claim order: the oldest slice first, then the ticker
        List<Candidate> ready = queue(tickers(61), 25, 100);

        List<List<Candidate>> dispatches = DispatchPacking.pack(ready, 50, LIMITS, CALENDAR::maxBars);

        assertThat(dispatches.stream().mapToInt(List::size).sum())
                .as("every run in one dispatch")
                .isEqualTo(61 * 25);
        for (List<Candidate> d : dispatches) {
            List<Ticker> symbols = d.stream().map(Candidate::symbol).distinct().toList();
            List<Slice> slices = d.stream()
                    .map(Candidate::slice)
                    .distinct()
                    .sorted(Comparator.comparing(Slice::from))
                    .toList();
            assertThat(symbols).hasSizeLessThanOrEqualTo(50);
            assertThat(d).as("every symbol in every slice").hasSize(symbols.size() * slices.size());
            for (int i = 1; i < slices.size(); i++) {
                assertThat(slices.get(i).from())
                        .as("consecutive")
                        .isEqualTo(slices.get(i - 1).to());
            }
            long most = symbols.size() * maxBars(slices);
            assertThat(most).as("fits in ten pages").isLessThanOrEqualTo(100_000);
            Slice last = slices.get(slices.size() - 1);
            if (last.to().isBefore(month(26))) {
                Slice next = new Slice(
                        last.to(),
                        YearMonth.from(last.to().atZone(ZoneOffset.UTC))
                                .plusMonths(1)
                                .atDay(1)
                                .atStartOfDay()
                                .toInstant(ZoneOffset.UTC));
                assertThat(symbols.size() * (maxBars(slices) + CALENDAR.maxBars(Timeframe.h1, next)))
                        .as("one more slice would not fit: the pages are as full as the slices allow")
                        .isGreaterThan(100_000);
            }
        }
        assertThat(dispatches.get(0)).extracting(c -> c.symbol().value()).startsWith("TAA", "TAB");
        assertThat(dispatches.get(0).stream().map(Candidate::symbol).distinct()).hasSize(50);
        assertThat(dispatches.get(1).stream().map(Candidate::symbol).distinct())
                .as("the other 11 tickers, all 25 months in one dispatch")
                .hasSize(11);
        assertThat(dispatches.get(1)).hasSize(11 * 25);
        assertThat(dispatches)
                .as("instead of 50 (a dispatch per slice and 50 tickers)")
                .hasSizeLessThanOrEqualTo(7);
    }

    @Test
    void runsPerDispatchAndDispatchesPerClaimAreCapped() {
        List<Candidate> ready = queue(tickers(50), 25, 100);

        List<List<Candidate>> dispatches =
                DispatchPacking.pack(ready, 2, new Limits(50, 120, 100, 10_000), CALENDAR::maxBars);

        assertThat(dispatches).hasSize(2);
        assertThat(dispatches).allSatisfy(d -> assertThat(d).hasSize(100)); // two slices of 50; a third is 150 > 120
    }

    @Test
    void theHighestPriorityComesFirstAndSeriesAndTimeframesNeverMix() {
        List<Candidate> ready = new ArrayList<>();
        ready.add(candidate("MSFT", Timeframe.h1, Series.alpaca("sip", "raw"), 3, 300));
        ready.addAll(queue(List.of("AAPL", "MSFT"), 3, 100));
        ready.add(candidate("NVDA", Timeframe.m30, IEX, 1, 100));

        List<List<Candidate>> dispatches = DispatchPacking.pack(ready, 5, LIMITS, CALENDAR::maxBars);

        assertThat(dispatches)
                .extracting(d -> d.size() + " " + d.get(0).series().feed() + " "
                        + d.get(0).timeframe())
                .containsExactly("1 sip h1", "6 iex h1", "1 iex m30");
    }

    @Test
    void aSliceWithRunsForFewerThanHalfOfTheSymbolsEndsTheDispatch() {
        List<Candidate> ready = new ArrayList<>(queue(tickers(10), 1, 100));
        ready.addAll(IntStream.range(0, 4)
                .mapToObj(i -> candidate(tickers(10).get(i), Timeframe.h1, IEX, 2, 100))
                .toList());

        List<List<Candidate>> dispatches = DispatchPacking.pack(ready, 5, LIMITS, CALENDAR::maxBars);

        assertThat(dispatches).extracting(List::size).containsExactly(10, 4);
    }

    private static long maxBars(List<Slice> slices) {
        return slices.stream().mapToLong(s -> CALENDAR.maxBars(Timeframe.h1, s)).sum();
    }

    /**
     * Massive holds one symbol per request and counts base aggregates: a dispatch of N symbols over W windows costs
     * N x W requests, and makes no more than its budget (what the shared budget grants within the dispatch timeout),
     * so the free plan's 5 requests a minute never makes a dispatch outlast its timeout.
     */
    @Test
    void aMassiveDispatchMakesNoMoreRequestsThanItsBudget() {
        Series massive = new Series(Series.MASSIVE, "sip", "raw");
        ProviderLimits limits = new ProviderLimits(1, 50_000, 50_000);
        int budget = DispatchPacking.requestBudget(Duration.ofMinutes(5), 5, 5, 10);
        assertThat(budget)
                .as("5 min x 5/min over 5 dispatches in flight, 63 s a turn")
                .isEqualTo(4);
        Limits packing = new Limits(50, 1000, 10, 10_000, Map.of(Series.MASSIVE, new ProviderBudget(limits, budget)));
        List<Candidate> ready = new ArrayList<>();
        for (int m = 1; m <= 25; m++) {
            for (String s : tickers(11)) {
                ready.add(candidate(s, Timeframe.h1, massive, m, 100));
            }
        }
        ready.addAll(queue(tickers(3), 2, 100)); // Alpaca's runs still pack by pages

        List<List<Candidate>> dispatches = DispatchPacking.pack(ready, 1000, packing, CALENDAR::maxBars);

        assertThat(dispatches.stream().mapToInt(List::size).sum()).isEqualTo(11 * 25 + 3 * 2);
        long requests = 0;
        for (List<Candidate> d : dispatches) {
            if (!d.get(0).series().equals(massive)) {
                assertThat(d).as("the Alpaca runs, in one dispatch as before").hasSize(6);
                continue;
            }
            List<Ticker> symbols = d.stream().map(Candidate::symbol).distinct().toList();
            Instant from = d.stream()
                    .map(c -> c.slice().from())
                    .min(Instant::compareTo)
                    .orElseThrow();
            Instant to =
                    d.stream().map(c -> c.slice().to()).max(Instant::compareTo).orElseThrow();
            long cost = (long) symbols.size()
                    * limits.windows(Timeframe.h1, new Slice(from, to)).size();
            assertThat(cost).as("requests of %s", d).isLessThanOrEqualTo(budget);
            requests += cost;
        }
        // the fewest: 25 months of h1 are 510 sessions, 10 windows of 52 sessions per symbol
        assertThat(requests).as("requests for 11 symbols").isBetween(11L * 10, 11L * 13);
        assertThat(DispatchPacking.requestBudget(Duration.ofMinutes(5), 6000, 5, 10))
                .as("a paid plan: the page budget")
                .isEqualTo(10);
        assertThat(DispatchPacking.requestBudget(Duration.ofSeconds(10), 5, 5, 10))
                .as("at least one request")
                .isEqualTo(1);
    }

    /** {@code symbols} x {@code months} of h1 from January 2024, in claim order. */
    private static List<Candidate> queue(List<String> symbols, int months, int priority) {
        List<Candidate> ready = new ArrayList<>();
        for (int m = 1; m <= months; m++) {
            for (String s : symbols.stream().sorted().toList()) {
                ready.add(candidate(s, Timeframe.h1, IEX, m, priority));
            }
        }
        return ready;
    }

    private static Candidate candidate(String symbol, Timeframe timeframe, Series series, int month, int priority) {
        Slice slice = Slice.containing(timeframe, month(month));
        return new Candidate(UUID.randomUUID(), new Ticker(symbol), timeframe, series, slice, priority);
    }

    /** The start of month {@code n} counted from January 2024 = 1. */
    private static Instant month(int n) {
        return YearMonth.of(2024, 1).plusMonths(n - 1L).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static List<String> tickers(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "T" + (char) ('A' + i / 26) + (char) ('A' + i % 26))
                .toList();
    }
}
