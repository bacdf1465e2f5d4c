package io.barsbackfill.fetchbarsbatch.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.provider.FetchAbandonedException;
import io.barsbackfill.common.provider.Purpose;
import io.barsbackfill.common.provider.alpaca.AlpacaBarsProvider;
import io.barsbackfill.simulator.MarketSimulator;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.InjectSimulator;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The next page is requested while the sink still holds the one before (storing overlaps fetching), the sink
 * still takes the pages one at a time and in order, and a fetch that stops reads no page after the prefetched one.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
@TestProfile(PagePrefetchTest.Prefetching.class)
class PagePrefetchTest {

    /** The prefetch is off by default ({@code backfill.alpaca.prefetch-page}). */
    public static class Prefetching implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("backfill.alpaca.prefetch-page", "true");
        }
    }

    static final Duration WAIT = Duration.ofSeconds(20);

    @InjectSimulator
    MarketSimulator simulator;

    @Inject
    AlpacaBarsProvider provider;

    List<Ticker> symbols;
    Slice window;

    @BeforeEach
    void setUp() {
        simulator.resetCounters();
        symbols = SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 20).stream()
                .map(Ticker::new)
                .toList();
        window = new Slice(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-07-01T00:00:00Z"));
    }

    @Test
    void theNextPageIsRequestedWhileTheSinkStillHoldsThisOne() {
        AtomicInteger calls = new AtomicInteger();
        List<Long> requestsSeenBySink = new ArrayList<>();
        List<Boolean> lastFlags = new ArrayList<>();

        provider.fetch(
                        symbols,
                        Timeframe.h1,
                        Series.alpaca("iex", "raw"),
                        window,
                        Purpose.fetch,
                        calls,
                        (page, last) -> {
                            lastFlags.add(last);
                            int taken = lastFlags.size();
                            // hold this page until the provider saw the next request (or, for the last page, at once)
                            return waitForRequests(last ? taken : taken + 1)
                                    .invoke(requestsSeenBySink::add)
                                    .replaceWith(true);
                        })
                .await()
                .atMost(WAIT.multipliedBy(4));

        int pages = lastFlags.size();
        assertThat(pages).as("a window of several pages").isGreaterThanOrEqualTo(3);
        assertThat(lastFlags.subList(0, pages - 1)).containsOnly(false);
        assertThat(lastFlags.get(pages - 1)).isTrue();
        for (int i = 0; i < pages - 1; i++) {
            assertThat(requestsSeenBySink.get(i))
                    .as("page %d still held when page %d was requested", i + 1, i + 2)
                    .isEqualTo(i + 2L);
        }
        assertThat(calls.get()).as("one request a page, none more").isEqualTo(pages);
        assertThat(simulator.barRequests()).isEqualTo(pages);
    }

    @Test
    void aFetchThatStopsReadsNoPageAfterTheOneAlreadyRequested() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();

        assertThatThrownBy(() -> provider.fetch(
                                symbols,
                                Timeframe.h1,
                                Series.alpaca("iex", "raw"),
                                window,
                                Purpose.fetch,
                                calls,
                                (page, last) -> Uni.createFrom().item(taken.incrementAndGet() < 2))
                        .await()
                        .atMost(WAIT))
                .isInstanceOf(FetchAbandonedException.class);

        assertThat(taken.get()).isEqualTo(2);
        assertThat(calls.get())
                .as("pages 1 and 2, and page 3 requested while page 2 was in the sink")
                .isBetween(2, 3);
        assertThat(simulator.barRequests()).isLessThanOrEqualTo(3);
    }

    private Uni<Long> waitForRequests(long wanted) {
        return Uni.createFrom()
                .item(simulator::barRequests)
                .repeat()
                .withDelay(Duration.ofMillis(10))
                .until(seen -> seen >= wanted)
                .collect()
                .last()
                .ifNoItem()
                .after(WAIT)
                .fail()
                .map(ignored -> simulator.barRequests());
    }
}
