package io.barsbackfill.common.function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Answer of {@code /fetch-bars-batch}: one {@link SymbolResult} per requested symbol, in request order.
 * {@code total_bars} counts the bars received for all symbols; {@code symbols_processed} the symbols whose
 * run succeeded (with or without bars).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record FetchBarsBatchResponse(
        int totalSymbols,
        int totalBars,
        List<String> symbolsProcessed,
        int apiCalls,
        long durationMs,
        List<SymbolResult> results) {}
