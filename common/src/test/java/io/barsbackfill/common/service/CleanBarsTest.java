package io.barsbackfill.common.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.barsbackfill.common.domain.Bar;
import io.barsbackfill.common.domain.Slice;
import io.barsbackfill.common.provider.ServedBars;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a run stores of what the provider served, and what it counts as rejected ({@code bars_rejected}). */
class CleanBarsTest {

    private static final Slice DAY =
            new Slice(Instant.parse("2024-01-02T00:00:00Z"), Instant.parse("2024-01-03T00:00:00Z"));

    @Test
    void barsLackingARequiredFieldAreCountedWithTheOtherRejectedOnes() {
        ServedBars served = new ServedBars();
        Bar good = new Bar(Instant.parse("2024-01-02T15:00:00Z"), 10, 11, 9, 10.5, 100, null, null);
        served.add(good);
        served.add(new Bar(Instant.parse("2024-01-03T15:00:00Z"), 10, 11, 9, 10.5, 100, 10.0, 3L)); // outside
        served.add(new Bar(Instant.parse("2024-01-02T16:00:00Z"), 10, 9, 11, 10.5, 100, 10.0, 3L)); // high < low
        served.reject("a bar at 2024-01-02T17:00:00Z lacking a required field"); // e.g. served without "o"
        served.reject("a bar at 2024-01-02T18:00:00Z lacking a required field");

        CleanBars clean = CleanBars.of(served, DAY);

        assertThat(clean.bars()).containsExactly(good);
        assertThat(clean.rejected()).isEqualTo(4);
        assertThat(clean.note()).startsWith("4 bars dropped (first: a bar at 2024-01-02T17:00:00Z lacking");
    }
}
