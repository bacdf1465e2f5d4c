package io.barsbackfill.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The definition {@code enqueue} created. Ticks plan it: {@code slices} grid slices, {@code runs} job runs
 * (slices times symbols). For an open window ({@code window_to} null) these count up to the last closed
 * session and grow as sessions close; {@code slices_ready} of them can be planned right now (their bars are
 * final). Its runs and bars are of the series {@code provider}/{@code feed}/{@code adjustment}. {@code skipped}
 * lists the tickers left out because the provider does not know them ({@code on_unknown: "skip"}), with the
 * provider's reason; it is empty when none were.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnqueueResult(
        String id,
        String name,
        List<String> symbols,
        String timeframe,
        String provider,
        String feed,
        String adjustment,
        String windowFrom,
        String windowTo,
        int priority,
        boolean enabled,
        long slices,
        long slicesReady,
        long runs,
        List<Skipped> skipped) {

    /** A ticker {@code enqueue} left out, and the provider's words for why. */
    public record Skipped(String symbol, String reason) {}
}
