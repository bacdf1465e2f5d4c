package io.barsbackfill.common.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A 429's wait comes from its headers, bounded by {@code backfill.alpaca.max-retry-after}. */
class ProviderWaitTest {

    private static final Instant NOW = Instant.parse("2026-01-05T15:00:00Z");
    private static final Duration CAP = Duration.ofMinutes(15);

    @Test
    void aResetAYearAheadWaitsTheCapOnly() {
        String yearAhead = Long.toString(NOW.plus(Duration.ofDays(365)).getEpochSecond());
        assertThat(AlpacaBarsClient.providerWait(null, yearAhead, NOW, CAP)).isEqualTo(CAP);
        assertThat(AlpacaBarsClient.providerWait("31536000", null, NOW, CAP)).isEqualTo(CAP);
        assertThat(AlpacaBarsClient.providerWait(null, yearAhead, NOW, Duration.ofMinutes(2)))
                .as("the setting is the cap")
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aWaitWithinTheCapIsHonoured() {
        String in90s = Long.toString(NOW.plusSeconds(90).getEpochSecond());
        assertThat(AlpacaBarsClient.providerWait(null, in90s, NOW, CAP)).isEqualTo(Duration.ofSeconds(90));
        assertThat(AlpacaBarsClient.providerWait(" 20 ", in90s, NOW, CAP))
                .as("Retry-After wins over the reset")
                .isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void garbledPastOrAbsentHeadersWaitOneSecond() {
        assertThat(AlpacaBarsClient.providerWait(null, null, NOW, CAP)).isEqualTo(Duration.ofSeconds(1));
        assertThat(AlpacaBarsClient.providerWait("soon", null, NOW, CAP)).isEqualTo(Duration.ofSeconds(1));
        assertThat(AlpacaBarsClient.providerWait(null, "99999999999999999", NOW, CAP))
                .as("beyond Instant's range")
                .isEqualTo(Duration.ofSeconds(1));
        String past = Long.toString(NOW.minusSeconds(30).getEpochSecond());
        assertThat(AlpacaBarsClient.providerWait(null, past, NOW, CAP)).isEqualTo(Duration.ofSeconds(1));
    }
}
