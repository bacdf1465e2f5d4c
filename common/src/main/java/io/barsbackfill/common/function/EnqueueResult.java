package io.barsbackfill.common.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The definition {@code enqueue} created. Ticks plan it: {@code slices} grid slices, {@code runs} job runs
 * (slices times symbols). For an open window ({@code window_to} null) these count up to the last closed
 * session and grow as sessions close; {@code slices_ready} of them can be planned right now (their bars are
 * final). Its runs and bars are of the series {@code feed}/{@code adjustment}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnqueueResult(String id, String name, List<String> symbols, String timeframe, String feed,
        String adjustment, String windowFrom,
        String windowTo, int priority, boolean enabled, int slices, int slicesReady, long runs) {
}
