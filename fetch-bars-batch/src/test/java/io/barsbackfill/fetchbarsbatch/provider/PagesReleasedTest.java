package io.barsbackfill.fetchbarsbatch.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import io.barsbackfill.common.provider.Purpose;
import io.barsbackfill.common.provider.ServedBar;
import io.barsbackfill.common.provider.alpaca.AlpacaBarsProvider;
import io.barsbackfill.simulator.SimulatorSettings;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A fetch holds the page its sink is taking, not the pages before it: once the sink took a page, nothing of the
 * fetch keeps it reachable, so a fetch of many pages needs the memory of one. (A fetch that chained each page's
 * request onto the one before kept every page reachable until its last one: 30 pages of bars live in the batch
 * fetcher during the demo, and its heap ran out.)
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SimulatorResource.class)
class PagesReleasedTest {

    @Inject
    AlpacaBarsProvider provider;

    @Test
    void pagesTheSinkTookAreReleasedBeforeTheFetchEnds() {
        List<Ticker> symbols = SimulatorSettings.DEFAULT_UNIVERSE.subList(0, 20).stream()
                .map(Ticker::new)
                .toList();
        Slice window = new Slice(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"));
        List<WeakReference<Map<Ticker, List<ServedBar>>>> taken = new ArrayList<>();
        List<Integer> stillReachable = new ArrayList<>();

        provider.fetch(
                        symbols,
                        Timeframe.h1,
                        Series.alpaca("iex", "raw"),
                        window,
                        Purpose.fetch,
                        new AtomicInteger(),
                        (page, last) -> {
                            taken.add(new WeakReference<>(page));
                            if (last) {
                                stillReachable.addAll(reachableAfterGc(taken.subList(0, taken.size() - 2)));
                            }
                            // like the fetchers' sink, the answer is computed from the page, so it refers to it
                            return Uni.createFrom().item(() -> !page.isEmpty());
                        })
                .await()
                .atMost(Duration.ofSeconds(60));

        assertThat(taken).as("a window of several pages").hasSizeGreaterThanOrEqualTo(4);
        assertThat(stillReachable)
                .as("pages (numbered from 0) still reachable while the sink took the last of %d", taken.size())
                .isEmpty();
    }

    /** The indexes of the pages still reachable after collections that clear every weak reference they can. */
    private static List<Integer> reachableAfterGc(List<WeakReference<Map<Ticker, List<ServedBar>>>> pages) {
        List<Integer> reachable = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            System.gc();
            reachable.clear();
            for (int i = 0; i < pages.size(); i++) {
                if (pages.get(i).get() != null) {
                    reachable.add(i);
                }
            }
            if (reachable.isEmpty()) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return reachable;
    }
}
