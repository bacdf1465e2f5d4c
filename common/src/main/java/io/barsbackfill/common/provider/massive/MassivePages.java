package io.barsbackfill.common.provider.massive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.barsbackfill.common.domain.Bar;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Massive's wire format: aggregates pages and error bodies. */
final class MassivePages {

    private MassivePages() {}

    /**
     * {@code GET /v2/aggs/...}: {@code results} absent when there are none (an unknown ticker too), {@code next_url}
     * absent on the last page (and often on every page); {@code status} {@code OK} or {@code DELAYED}, else an
     * error with {@code error} or {@code message}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @RegisterForReflection
    record Aggregates(
            String ticker,
            String status,
            List<Aggregate> results,
            @JsonProperty("next_url") String nextUrl,
            String error,
            String message) {}

    /**
     * One aggregate: {@code t} its start in Unix milliseconds, OHLC, {@code v} volume (a JSON number, not always an
     * integer), {@code vw} and {@code n} when Massive has them. Boxed, so a field left out stays absent.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @RegisterForReflection
    record Aggregate(Long t, Double o, Double h, Double l, Double c, Double v, Double vw, Long n) {

        Instant start() {
            return t == null ? null : Instant.ofEpochMilli(t);
        }

        /** The bar (volume rounded to whole shares), or empty when a required field is missing. */
        Optional<Bar> toBar() {
            if (t == null || o == null || h == null || l == null || c == null || v == null) {
                return Optional.empty();
            }
            return Optional.of(new Bar(start(), o, h, l, c, Math.round(v), vw, n));
        }
    }

    /** Error answers: {@code {"status":"ERROR","error":...}} or {@code {"status":"NOT_FOUND","message":...}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @RegisterForReflection
    record ErrorBody(String status, String error, String message) {

        String text() {
            return error != null ? error : message;
        }
    }
}
