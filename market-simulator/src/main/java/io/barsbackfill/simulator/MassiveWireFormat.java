package io.barsbackfill.simulator;

import io.barsbackfill.common.domain.Bar;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Massive's JSON bodies, written field by field in the real API's names and order. */
final class MassiveWireFormat {

    private MassiveWireFormat() {}

    /**
     * {@code {"ticker","queryCount","resultsCount","adjusted","results":[{"v","vw","o","c","h","l","t","n"}],
     * "status","request_id","next_url"}}: {@code results} left out when there are none, as Massive does, and
     * {@code vw}/{@code n} when the bar has none.
     */
    static byte[] aggregates(
            String ticker, int queryCount, boolean adjusted, List<Bar> bars, Optional<String> nextUrl) {
        return WireFormat.write(json -> {
            json.writeStartObject();
            json.writeStringField("ticker", ticker);
            json.writeNumberField("queryCount", queryCount);
            json.writeNumberField("resultsCount", bars.size());
            json.writeBooleanField("adjusted", adjusted);
            if (!bars.isEmpty()) {
                json.writeArrayFieldStart("results");
                for (Bar bar : bars) {
                    json.writeStartObject();
                    json.writeNumberField("v", bar.volume());
                    if (bar.vwap() != null) {
                        json.writeNumberField("vw", bar.vwap());
                    }
                    json.writeNumberField("o", bar.open());
                    json.writeNumberField("c", bar.close());
                    json.writeNumberField("h", bar.high());
                    json.writeNumberField("l", bar.low());
                    json.writeNumberField("t", bar.ts().toEpochMilli());
                    if (bar.tradeCount() != null) {
                        json.writeNumberField("n", bar.tradeCount());
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeStringField("status", "OK");
            json.writeStringField("request_id", requestId());
            if (nextUrl.isPresent()) {
                json.writeStringField("next_url", nextUrl.get());
            }
            json.writeEndObject();
        });
    }

    /** {@code {"status":"OK","request_id","results":{"ticker","name","market","locale","active"}}} */
    static byte[] tickerDetails(String ticker) {
        return WireFormat.write(json -> {
            json.writeStartObject();
            json.writeStringField("status", "OK");
            json.writeStringField("request_id", requestId());
            json.writeObjectFieldStart("results");
            json.writeStringField("ticker", ticker);
            json.writeStringField("name", ticker + " (simulated)");
            json.writeStringField("market", "stocks");
            json.writeStringField("locale", "us");
            json.writeBooleanField("active", true);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /**
     * {@code {"status":"NOT_FOUND","request_id","message"}} for a 404, {@code {"status":"ERROR","request_id",
     * "error"}} for every other error.
     */
    static byte[] error(int status, String message) {
        return WireFormat.write(json -> {
            json.writeStartObject();
            json.writeStringField("status", status == 404 ? "NOT_FOUND" : "ERROR");
            json.writeStringField("request_id", requestId());
            json.writeStringField(status == 404 ? "message" : "error", message);
            json.writeEndObject();
        });
    }

    private static String requestId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
