package io.barsbackfill.orchestrator.function;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Stored times as {@code status} shows them, the text the SQL function {@code iso_utc} gave (V3..V7): ISO 8601
 * in UTC without trailing zeros of the fraction ({@code 2024-01-02T14:30:00.25Z}); {@code infinity} and
 * {@code -infinity} ({@link Instant#MAX}, {@link Instant#MIN}); years outside 1..9999 with their era
 * ({@code 4713-01-01T00:00:00Z BC}), since ISO 8601 has no plain form for them.
 */
final class IsoUtc {

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT);

    private IsoUtc() {}

    static String of(Instant t) {
        if (t == null) {
            return null;
        }
        if (t.equals(Instant.MAX)) {
            return "infinity";
        }
        if (t.equals(Instant.MIN)) {
            return "-infinity";
        }
        LocalDateTime u = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        int year = u.getYear();
        if (year < 1 || year >= 10_000) {
            boolean bc = year < 1;
            return String.format(
                    Locale.ROOT,
                    "%04d-%02d-%02dT%02d:%02d:%02dZ %s",
                    bc ? 1 - year : year,
                    u.getMonthValue(),
                    u.getDayOfMonth(),
                    u.getHour(),
                    u.getMinute(),
                    u.getSecond(),
                    bc ? "BC" : "AD");
        }
        return MICROS.format(u).replaceFirst("\\.?0+$", "") + "Z";
    }
}
