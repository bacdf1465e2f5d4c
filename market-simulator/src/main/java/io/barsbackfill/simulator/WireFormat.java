package io.barsbackfill.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.barsbackfill.common.domain.Bar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Alpaca's JSON bodies, written field by field so names and order match the real API exactly. */
final class WireFormat {

    private static final JsonFactory JSON = new JsonFactory();

    private WireFormat() {}

    /** {@code {"bars":{"AAPL":[...],...},"next_page_token":...}} */
    static byte[] multiSymbol(BarsPage page) {
        return write(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("bars");
            for (Map.Entry<String, List<Bar>> entry : page.bars().entrySet()) {
                json.writeFieldName(entry.getKey());
                writeBars(json, entry.getValue());
            }
            json.writeEndObject();
            writeNextPageToken(json, page);
            json.writeEndObject();
        });
    }

    /** {@code {"bars":[...],"symbol":"AAPL","next_page_token":...}} */
    static byte[] singleSymbol(String symbol, BarsPage page) {
        return write(json -> {
            json.writeStartObject();
            json.writeFieldName("bars");
            writeBars(json, page.bars().getOrDefault(symbol, List.of()));
            json.writeStringField("symbol", symbol);
            writeNextPageToken(json, page);
            json.writeEndObject();
        });
    }

    static byte[] error(String message) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("message", message);
            json.writeEndObject();
        });
    }

    static byte[] error(long code, String message) {
        return write(json -> {
            json.writeStartObject();
            json.writeNumberField("code", code);
            json.writeStringField("message", message);
            json.writeEndObject();
        });
    }

    private static void writeBars(JsonGenerator json, List<Bar> bars) throws IOException {
        json.writeStartArray();
        for (Bar bar : bars) {
            json.writeStartObject();
            json.writeStringField("t", bar.ts().toString());
            json.writeNumberField("o", bar.open());
            json.writeNumberField("h", bar.high());
            json.writeNumberField("l", bar.low());
            json.writeNumberField("c", bar.close());
            json.writeNumberField("v", bar.volume());
            if (bar.tradeCount() != null) {
                json.writeNumberField("n", bar.tradeCount());
            }
            if (bar.vwap() != null) {
                json.writeNumberField("vw", bar.vwap());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeNextPageToken(JsonGenerator json, BarsPage page) throws IOException {
        json.writeFieldName("next_page_token");
        if (page.next().isPresent()) {
            json.writeString(page.next().get().encode());
        } else {
            json.writeNull();
        }
    }

    interface Body {
        void writeTo(JsonGenerator json) throws IOException;
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            body.writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
