package io.barsbackfill.common.provider.alpaca;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.barsbackfill.common.domain.Bar;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Alpaca's bars wire format: {@code {"bars": ..., "next_page_token": ...}}. */
final class AlpacaPages {

    private AlpacaPages() {}

    /** {@code GET /v2/stocks/bars}: bars per symbol; symbols without bars are absent. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @RegisterForReflection
    record MultiSymbolPage(
            Map<String, List<WireBar>> bars,
            @JsonProperty("next_page_token") String nextPageToken) {}

    /** {@code GET /v2/stocks/{symbol}/bars}: an array of one symbol's bars. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @RegisterForReflection
    record SymbolPage(
            List<WireBar> bars,
            String symbol,
            @JsonProperty("next_page_token") String nextPageToken) {}

    /**
     * One bar: start time, OHLC, volume, trade count, volume-weighted average price. Fields are boxed so that a
     * field the provider left out stays absent instead of becoming 0.
     */
    @JsonDeserialize(using = WireBarDeserializer.class)
    @RegisterForReflection
    record WireBar(Instant t, Double o, Double h, Double l, Double c, Long v, Long n, Double vw) {
        /** The bar, or empty when a required field ({@code t o h l c v}) is missing. */
        Optional<Bar> toBar() {
            if (t == null || o == null || h == null || l == null || c == null || v == null) {
                return Optional.empty();
            }
            return Optional.of(new Bar(t, o, h, l, c, v, vw, n));
        }
    }

    /** Error answers carry {@code {"message": "..."}} (429s also a numeric code). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @RegisterForReflection
    record ErrorMessage(String message) {}
}
