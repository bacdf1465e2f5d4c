package io.barsbackfill.common.function;

import io.barsbackfill.common.config.BackfillConfig;
import io.barsbackfill.common.domain.Messages;
import io.barsbackfill.common.domain.Series;
import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** Field-by-field validation of function input; every failure names its field. */
public final class RequestFields {

    private static final Instant FIRST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant PAST_LAST_INSTANT = Instant.parse("+10000-01-01T00:00:00Z");

    private RequestFields() {}

    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new BadInputException(field, field + " is required");
        }
        return value;
    }

    public static <T> List<T> requiredList(String field, List<T> value) {
        if (value == null) {
            throw new BadInputException(field, field + " is required");
        }
        return value;
    }

    public static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(required(field, value).strip());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(field, field + " must be a UUID");
        }
    }

    public static Timeframe timeframe(String field, String value) {
        return Timeframe.fromName(required(field, value).strip())
                .orElseThrow(() -> new BadInputException(
                        field, field + " must be one of " + Timeframe.NAMES + " (got '" + clip(value) + "')"));
    }

    /** One of {@link Series#FEEDS}, exactly. */
    public static String feed(String field, String value) {
        return oneOf(field, value, Series.FEEDS);
    }

    /** One of {@link Series#ADJUSTMENTS}, exactly. */
    public static String adjustment(String field, String value) {
        return oneOf(field, value, Series.ADJUSTMENTS);
    }

    /** One of {@link Series#PROVIDERS}, exactly. */
    public static String provider(String field, String value) {
        return oneOf(field, value, Series.PROVIDERS);
    }

    /**
     * The series of fields {@code provider}, {@code feed} and {@code adjustment}: an absent provider is the
     * settings' ({@code backfill.provider}), an absent feed or adjustment that provider's default; a feed or
     * adjustment the provider does not serve is refused naming its field.
     */
    public static Series series(String provider, String feed, String adjustment, BackfillConfig settings) {
        String p = provider == null ? settings.provider() : provider("provider", provider);
        Series defaults = settings.defaultSeries(p);
        return new Series(
                p,
                feed == null ? defaults.feed() : served("feed", feed(feed), Series.feeds(p), p),
                adjustment == null
                        ? defaults.adjustment()
                        : served("adjustment", adjustment(adjustment), Series.adjustments(p), p));
    }

    private static String feed(String value) {
        return feed("feed", value);
    }

    private static String adjustment(String value) {
        return adjustment("adjustment", value);
    }

    private static String served(String field, String value, List<String> served, String provider) {
        if (!served.contains(value)) {
            throw new BadInputException(
                    field,
                    field + " must be one of " + String.join(" ", served) + " for provider " + provider + " (got '"
                            + value + "')");
        }
        return value;
    }

    private static String oneOf(String field, String value, List<String> allowed) {
        String v = required(field, value).strip();
        if (!allowed.contains(v)) {
            throw new BadInputException(
                    field, field + " must be one of " + String.join(" ", allowed) + " (got '" + clip(value) + "')");
        }
        return v;
    }

    public static Ticker ticker(String field, String value) {
        return Ticker.parse(required(field, value))
                .orElseThrow(() -> new BadInputException(
                        field, field + " is not a ticker (" + Ticker.FORMAT + "): '" + clip(value) + "'"));
    }

    /**
     * An ISO-8601 UTC instant with a four-digit year (0001..9999): well inside what PostgreSQL's
     * {@code timestamptz} stores, so no accepted instant can fail in the database or when read back.
     */
    public static Instant instant(String field, String value) {
        Instant t;
        try {
            t = Instant.parse(required(field, value).strip());
        } catch (DateTimeParseException e) {
            throw new BadInputException(
                    field,
                    field + " must be an ISO-8601 UTC instant such as 2024-01-01T00:00:00Z (got '" + clip(value)
                            + "')");
        }
        if (t.isBefore(FIRST_INSTANT) || !t.isBefore(PAST_LAST_INSTANT)) {
            throw new BadInputException(
                    field, field + " must lie in the years 0001 to 9999 (got '" + clip(value) + "')");
        }
        return t;
    }

    /** An ISO-8601 UTC instant, or a date ({@code 2024-06-01}) meaning its start in UTC. */
    public static Instant dateOrInstant(String field, String value) {
        String v = required(field, value).strip();
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException again) {
                throw new BadInputException(
                        field,
                        field + " must be a date such as 2024-06-01 or an ISO-8601 UTC " + "instant (got '"
                                + clip(value) + "')");
            }
        }
    }

    /** Checks {@code from < to} and names {@code toField} when it is not. */
    public static void ordered(Instant from, Instant to, String toField) {
        if (!from.isBefore(to)) {
            throw new BadInputException(toField, toField + " must be after from");
        }
    }

    /** Quotes user input in messages without echoing unbounded text. */
    public static String clip(String value) {
        return Messages.clip(value, 40);
    }
}
