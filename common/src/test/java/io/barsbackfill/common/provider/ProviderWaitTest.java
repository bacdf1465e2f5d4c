package io.barsbackfill.common.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/**
 * A 429's wait comes from its headers, bounded by {@code backfill.alpaca.max-retry-after}; a point in time is
 * measured from the provider's {@code Date}, not from this instance's clock.
 */
class ProviderWaitTest {

    private static final Instant NOW = Instant.parse("2026-01-05T15:00:00Z");
    private static final Duration CAP = Duration.ofMinutes(15);

    @Test
    void aResetAYearAheadWaitsTheCapOnly() {
        String yearAhead = Long.toString(NOW.plus(Duration.ofDays(365)).getEpochSecond());
        assertThat(ProviderCalls.providerWait(null, yearAhead, null, NOW, CAP)).isEqualTo(CAP);
        assertThat(ProviderCalls.providerWait("31536000", null, null, NOW, CAP)).isEqualTo(CAP);
        assertThat(ProviderCalls.providerWait(null, yearAhead, null, NOW, Duration.ofMinutes(2)))
                .as("the setting is the cap")
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aWaitWithinTheCapIsHonoured() {
        String in90s = Long.toString(NOW.plusSeconds(90).getEpochSecond());
        assertThat(ProviderCalls.providerWait(null, in90s, null, NOW, CAP)).isEqualTo(Duration.ofSeconds(90));
        assertThat(ProviderCalls.providerWait(" 20 ", in90s, null, NOW, CAP))
                .as("Retry-After wins over the reset")
                .isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void garbledPastOrAbsentHeadersWaitOneSecond() {
        assertThat(ProviderCalls.providerWait(null, null, null, NOW, CAP)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ProviderCalls.providerWait("soon", null, null, NOW, CAP)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ProviderCalls.providerWait(null, "99999999999999999", null, NOW, CAP))
                .as("beyond Instant's range")
                .isEqualTo(Duration.ofSeconds(1));
        String past = Long.toString(NOW.minusSeconds(30).getEpochSecond());
        assertThat(ProviderCalls.providerWait(null, past, null, NOW, CAP)).isEqualTo(Duration.ofSeconds(1));
    }

    /** This instance's clock runs an hour ahead of the provider's: the wait is the provider's, not 1 s. */
    @Test
    void aResetIsMeasuredFromTheProvidersDateNotFromThisInstancesClock() {
        Instant providerNow = NOW;
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(providerNow.atOffset(ZoneOffset.UTC));
        Instant skewed = providerNow.plus(Duration.ofHours(1));
        String in90s = Long.toString(providerNow.plusSeconds(90).getEpochSecond());

        assertThat(ProviderCalls.providerWait(null, in90s, date, skewed, CAP)).isEqualTo(Duration.ofSeconds(90));
        String at90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                providerNow.plusSeconds(90).atOffset(ZoneOffset.UTC));
        assertThat(ProviderCalls.providerWait(at90s, null, date, skewed, CAP))
                .as("Retry-After as an HTTP date")
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(ProviderCalls.providerWait(null, in90s, "yesterday", providerNow, CAP))
                .as("an unreadable Date: measured from the moment the answer came")
                .isEqualTo(Duration.ofSeconds(90));
    }
}
