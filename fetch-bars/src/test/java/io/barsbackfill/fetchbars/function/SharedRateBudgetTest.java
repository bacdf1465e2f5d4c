package io.barsbackfill.fetchbars.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.repository.RateLimitRepository;
import io.barsbackfill.common.repository.RateLimitRepository.Take;
import io.barsbackfill.testing.InjectTestDatabase;
import io.barsbackfill.testing.PostgresResource;
import io.barsbackfill.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The provider budget lives in Postgres: concurrent takers (any instance) never get more than it holds. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SharedRateBudgetTest {

    @Inject
    RateLimitRepository buckets;

    @InjectTestDatabase
    TestDatabase db;

    @Test
    void concurrentTakersShareOneBudget() {
        int perMinute = 30;
        List<Uni<Duration>> takes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            takes.add(buckets.take("budget-test", perMinute).map(Take::pause));
        }
        List<Duration> waits = Uni.join().all(takes).andFailFast().await().atMost(Duration.ofSeconds(30));

        long granted = waits.stream().filter(Duration::isZero).count();
        assertThat(granted)
                .as("the bucket holds one token (no burst), plus at most one slot refilled while taking")
                .isBetween(1L, 2L);
        Duration slot = Duration.ofMillis(63_000 / perMinute);
        // waits are rounded up to whole milliseconds, and 63.0 / 30 as a double is a hair above 2.1 s
        assertThat(waits.stream().filter(w -> !w.isZero()))
                .allSatisfy(w -> assertThat(w).isBetween(Duration.ofMillis(1), slot.plusMillis(1)));
    }

    /**
     * Takers that keep asking get a grant per slot of 63/R s, never more, from the first request on: so no
     * 60 s window can hold more than R requests (scaled here to R = 600, a slot of 105 ms).
     */
    @Test
    void sustainedTakersGetOneGrantPerSlotFromTheStart() throws Exception {
        int perMinute = 600;
        long started = System.nanoTime();
        assertThat(buckets.take("sustained-test", perMinute)
                        .await()
                        .indefinitely()
                        .pause())
                .as("the first request of a backfill does not wait")
                .isZero();
        AtomicInteger grants = new AtomicInteger(1);
        long until = started + Duration.ofSeconds(6).toNanos();
        List<Thread> takers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread taker = new Thread(() -> {
                while (System.nanoTime() < until) {
                    Duration wait = buckets.take("sustained-test", perMinute)
                            .await()
                            .indefinitely()
                            .pause();
                    if (wait.isZero()) {
                        grants.incrementAndGet();
                    } else {
                        sleep(wait);
                    }
                }
            });
            taker.start();
            takers.add(taker);
        }
        for (Thread taker : takers) {
            taker.join();
        }
        double slots = (System.nanoTime() - started) / 1e9 / (63.0 / perMinute);
        assertThat((double) grants.get()).as("grants in %.1f slots", slots).isLessThanOrEqualTo(1 + slots);
        assertThat((double) grants.get()).as("the budget is used, not starved").isGreaterThan(slots / 2);
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aBlockStopsEveryTakerUntilRetryAfter() {
        buckets.take("blocked-test", 600).await().indefinitely();
        buckets.block("blocked-test", Duration.ofSeconds(20)).await().indefinitely();

        Duration wait = buckets.take("blocked-test", 600).await().indefinitely().pause();
        assertThat(wait).isBetween(Duration.ofSeconds(18), Duration.ofSeconds(20));
    }

    /**
     * Two instances configured with different rates take from one budget: it runs at the smaller one, whoever
     * took first, and the larger one never raises it again (issue 17, item 5).
     */
    @Test
    void instancesWithDifferentRatesShareTheSmallest() {
        Take fast = buckets.take("two-rates", 600).await().indefinitely();
        assertThat(fast.pause()).isZero();
        assertThat(fast.perMinute()).isEqualTo(600);

        Take slow = buckets.take("two-rates", 60).await().indefinitely();
        assertThat(slow.perMinute()).as("the smaller R wins").isEqualTo(60);
        assertThat(slow.wasPerMinute())
                .as("and the taker learns what it lowered")
                .isEqualTo(600);

        Take again = buckets.take("two-rates", 600).await().indefinitely();
        assertThat(again.perMinute()).as("the larger R does not raise it").isEqualTo(60);
        assertThat(again.pause())
                .as("the refill runs at 60/min: a slot of 1.05 s, not the 105 ms of 600/min")
                .isGreaterThan(Duration.ofMillis(600));
        assertThat(db.queryLong("SELECT per_minute FROM rate_limits WHERE provider = 'two-rates'"))
                .isEqualTo(60);
    }

    /** After minutes without any take, the next taker's rate starts a new agreement. */
    @Test
    void anIdleBudgetTakesTheNextTakersRate() {
        buckets.take("idle-reset", 60).await().indefinitely();
        db.execute("UPDATE rate_limits SET refilled_at = now() - interval '11 minutes' WHERE provider = 'idle-reset'");

        assertThat(buckets.take("idle-reset", 600).await().indefinitely().perMinute())
                .isEqualTo(600);
    }

    /** A Retry-After or reset a year ahead blocks the budget for backfill.alpaca.max-retry-after (15m) at most. */
    @Test
    void aBlockAYearAheadBlocksAtMostTheCap() {
        buckets.take("year-block", 600).await().indefinitely();
        buckets.block("year-block", Duration.ofDays(365)).await().indefinitely();

        Duration wait = buckets.take("year-block", 600).await().indefinitely().pause();
        assertThat(wait).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15));
    }

    /** A row an older version (or a garbled header) blocked for a year heals on the next take. */
    @Test
    void aRowBlockedAYearAheadIsCutToTheCapOnTheNextTake() {
        buckets.take("year-row", 600).await().indefinitely();
        db.execute("UPDATE rate_limits SET blocked_until = now() + interval '365 days' WHERE provider = 'year-row'");

        Duration wait = buckets.take("year-row", 600).await().indefinitely().pause();
        assertThat(wait).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15));
        long cut = db.queryLong("""
                SELECT count(*) FROM rate_limits
                WHERE provider = 'year-row' AND blocked_until <= now() + interval '15 minutes'""");
        assertThat(cut).as("the row itself is cut to the cap").isEqualTo(1);
    }
}
