package io.barsbackfill.fetchbars.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.repository.RateLimitRepository;
import io.barsbackfill.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider budget lives in Postgres: concurrent takers (any instance) never get more than it holds. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SharedRateBudgetTest {

    @Inject
    RateLimitRepository buckets;

    @Test
    void concurrentTakersShareOneBudget() {
        int perMinute = 30;
        List<Uni<Duration>> takes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            takes.add(buckets.take("budget-test", perMinute));
        }
        List<Duration> waits = Uni.join().all(takes).andFailFast().await().atMost(Duration.ofSeconds(30));

        long granted = waits.stream().filter(Duration::isZero).count();
        assertThat(granted)
                .as("a full bucket holds one minute of budget, plus at most the refill while taking")
                .isBetween(30L, 31L);
        assertThat(waits.stream().filter(w -> !w.isZero()))
                .allSatisfy(w -> assertThat(w).isBetween(Duration.ofMillis(1), Duration.ofSeconds(2)));
    }

    @Test
    void aBlockStopsEveryTakerUntilRetryAfter() {
        buckets.take("blocked-test", 600).await().indefinitely();
        buckets.block("blocked-test", Duration.ofSeconds(20)).await().indefinitely();

        Duration wait = buckets.take("blocked-test", 600).await().indefinitely();
        assertThat(wait).isBetween(Duration.ofSeconds(18), Duration.ofSeconds(20));
    }
}
