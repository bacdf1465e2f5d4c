package io.barsbackfill.common.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SliceTest {

    static Instant t(String s) {
        return Instant.parse(s);
    }

    @Test
    void eachTimeframeHasAFixedUtcGrid() {
        Instant mid = t("2024-02-14T13:37:00Z");
        assertThat(Slice.containing(Timeframe.m1, mid))
                .isEqualTo(new Slice(t("2024-02-14T00:00:00Z"), t("2024-02-15T00:00:00Z")));
        assertThat(Slice.containing(Timeframe.m15, mid))
                .isEqualTo(new Slice(t("2024-02-12T00:00:00Z"), t("2024-02-19T00:00:00Z")));
        assertThat(Slice.containing(Timeframe.h1, mid))
                .isEqualTo(new Slice(t("2024-02-01T00:00:00Z"), t("2024-03-01T00:00:00Z")));
        assertThat(Slice.containing(Timeframe.d1, mid))
                .isEqualTo(new Slice(t("2024-01-01T00:00:00Z"), t("2025-01-01T00:00:00Z")));
    }

    @Test
    void theSameWorkAlwaysGetsTheSameSlicesWhateverTheWindowEdges() {
        List<Slice> a = Slice.covering(Timeframe.h1, t("2024-01-01T00:00:00Z"), t("2026-01-10T00:00:00Z"));
        List<Slice> b = Slice.covering(Timeframe.h1, t("2024-01-17T09:12:00Z"), t("2026-01-02T00:00:01Z"));
        assertThat(a).hasSize(25).isEqualTo(b);
        assertThat(a.get(0).from()).isEqualTo(t("2024-01-01T00:00:00Z"));
        assertThat(a.get(24)).isEqualTo(new Slice(t("2026-01-01T00:00:00Z"), t("2026-02-01T00:00:00Z")));
        for (int i = 1; i < a.size(); i++) {
            assertThat(a.get(i).from()).as("contiguous").isEqualTo(a.get(i - 1).to());
        }
    }

    @Test
    void windowEndIsExclusive() {
        assertThat(Slice.covering(Timeframe.h1, t("2024-01-01T00:00:00Z"), t("2024-03-01T00:00:00Z")))
                .hasSize(2);
        assertThat(Slice.covering(Timeframe.m1, t("2024-03-09T00:00:00Z"), t("2024-03-11T00:00:00Z")))
                .hasSize(2);
    }

    @Test
    void gridMembershipAndHalfOpenContainment() {
        assertThat(Slice.isOnGrid(Timeframe.h1, t("2024-02-01T00:00:00Z"), t("2024-03-01T00:00:00Z")))
                .isTrue();
        assertThat(Slice.isOnGrid(Timeframe.h1, t("2024-02-01T00:00:00Z"), t("2024-02-29T00:00:00Z")))
                .isFalse();
        Slice s = new Slice(t("2024-02-01T00:00:00Z"), t("2024-03-01T00:00:00Z"));
        assertThat(s.contains(t("2024-02-01T00:00:00Z"))).isTrue();
        assertThat(s.contains(t("2024-03-01T00:00:00Z"))).isFalse();
        assertThatThrownBy(() -> new Slice(s.to(), s.from())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countingSlicesAgreesWithListingThemForEveryTimeframe() {
        Random random = new Random(7);
        Instant base = t("2000-01-01T00:00:00Z");
        for (Timeframe timeframe : Timeframe.values()) {
            for (int i = 0; i < 300; i++) {
                Instant from = base.plusSeconds(random.nextLong(27L * 365 * 86400));
                Instant to = from.plusSeconds(1 + random.nextLong(3L * 365 * 86400));
                assertThat(Slice.count(timeframe, from, to))
                        .as("%s %s..%s", timeframe, from, to)
                        .isEqualTo(Slice.covering(timeframe, from, to).size());
            }
        }
        assertThat(Slice.count(Timeframe.m1, t("2000-01-01T00:00:00Z"), t("+200000-01-01T00:00:00Z")))
                .as("counted, not listed")
                .isEqualTo(72_318_015L);
    }
}
