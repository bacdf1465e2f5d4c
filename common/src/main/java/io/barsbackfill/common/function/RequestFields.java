package io.barsbackfill.common.function;

import io.barsbackfill.common.domain.Ticker;
import io.barsbackfill.common.domain.Timeframe;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** Field-by-field validation of function input; every failure names its field. */
public final class RequestFields {

    private static final Instant FIRST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant PAST_LAST_INSTANT = Instant.parse("+10000-01-01T00:00:00Z");

    private RequestFields() {
    }

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
                .orElseThrow(() -> new BadInputException(field,
                        field + " must be one of " + Timeframe.NAMES + " (got '" + clip(value) + "')"));
    }

    public static Ticker ticker(String field, String value) {
        return Ticker.parse(required(field, value))
                .orElseThrow(() -> new BadInputException(field,
                        field + " is not a ticker (" + Ticker.FORMAT + "): '" + clip(value) + "'"));
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
            throw new BadInputException(field,
                    field + " must be an ISO-8601 UTC instant such as 2024-01-01T00:00:00Z (got '" + clip(value) + "')");
        }
        if (t.isBefore(FIRST_INSTANT) || !t.isBefore(PAST_LAST_INSTANT)) {
            throw new BadInputException(field,
                    field + " must lie in the years 0001 to 9999 (got '" + clip(value) + "')");
        }
        return t;
    }

    /** Checks {@code from < to} and names {@code toField} when it is not. */
    public static void ordered(Instant from, Instant to, String toField) {
        if (!from.isBefore(to)) {
            throw new BadInputException(toField, toField + " must be after from");
        }
    }

    /** Quotes user input in messages without echoing unbounded text. */
    public static String clip(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
