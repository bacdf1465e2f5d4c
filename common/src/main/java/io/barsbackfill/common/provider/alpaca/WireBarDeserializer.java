package io.barsbackfill.common.provider.alpaca;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Reads one bar object field by field. Jackson's record binding looked up every field of every bar in a map, and its
 * {@link Instant} parser filled a map per timestamp: in a profile of fetch-bars-batch during a 200-ticker backfill,
 * 27 % of the CPU samples were in Jackson and 19 % in parsing timestamps. Timestamps of the form Alpaca sends,
 * {@code 2024-01-02T14:30:00Z}, are read by arithmetic; any other RFC 3339 form (fractions, offsets) by
 * {@link OffsetDateTime#parse}. A field left out stays null; an unknown field is skipped.
 */
@RegisterForReflection
final class WireBarDeserializer extends StdDeserializer<AlpacaPages.WireBar> {

    WireBarDeserializer() {
        super(AlpacaPages.WireBar.class);
    }

    @Override
    public AlpacaPages.WireBar deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.isExpectedStartObjectToken()) {
            return (AlpacaPages.WireBar) ctxt.handleUnexpectedToken(AlpacaPages.WireBar.class, p);
        }
        Instant t = null;
        Double o = null;
        Double h = null;
        Double l = null;
        Double c = null;
        Long v = null;
        Long n = null;
        Double vw = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken token = p.nextToken();
            switch (field) {
                case "t" ->
                    t = token == JsonToken.VALUE_STRING
                            ? instant(p.getText())
                            : (Instant) standard(p, ctxt, Instant.class);
                case "o" -> o = decimal(p, ctxt, token);
                case "h" -> h = decimal(p, ctxt, token);
                case "l" -> l = decimal(p, ctxt, token);
                case "c" -> c = decimal(p, ctxt, token);
                case "vw" -> vw = decimal(p, ctxt, token);
                case "v" -> v = integer(p, ctxt, token);
                case "n" -> n = integer(p, ctxt, token);
                default -> p.skipChildren();
            }
        }
        return new AlpacaPages.WireBar(t, o, h, l, c, v, n, vw);
    }

    /** {@code yyyy-MM-ddTHH:mm:ssZ} by arithmetic, anything else as RFC 3339. */
    static Instant instant(String text) {
        if (text.length() == 20
                && text.charAt(4) == '-'
                && text.charAt(7) == '-'
                && text.charAt(10) == 'T'
                && text.charAt(13) == ':'
                && text.charAt(16) == ':'
                && text.charAt(19) == 'Z') {
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            if (year >= 0
                    && month > 0
                    && day > 0
                    && hour >= 0
                    && hour < 24
                    && minute >= 0
                    && minute < 60
                    && second >= 0
                    && second < 60) {
                long days = LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second);
            }
        }
        return OffsetDateTime.parse(text).toInstant();
    }

    /** The number in {@code text[from, to)}, or -1 when a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            value = value * 10 + (ch - '0');
        }
        return value;
    }

    private static Double decimal(JsonParser p, DeserializationContext ctxt, JsonToken token) throws IOException {
        return token.isNumeric() ? Double.valueOf(p.getDoubleValue()) : (Double) standard(p, ctxt, Double.class);
    }

    private static Long integer(JsonParser p, DeserializationContext ctxt, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NUMBER_INT
                ? Long.valueOf(p.getLongValue())
                : (Long) standard(p, ctxt, Long.class);
    }

    /** What Jackson makes of a value this reader does not take itself: null, a coerced string, or an error. */
    private static Object standard(JsonParser p, DeserializationContext ctxt, Class<?> type) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, type);
    }
}
