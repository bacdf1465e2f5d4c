package io.barsbackfill.common.function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Answer of {@code /fetch-bars}. {@code status} says how the run ended: {@code success}, {@code failed}
 * (not retried, see {@code error_code}) or {@code retry} (given back to the queue with backoff).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record FetchBarsResponse(
        String jobRunId,
        String symbol,
        String status,
        int rowsWritten,
        int barsFetched,
        String provider,
        String from,
        String to,
        int apiCalls,
        long durationMs,
        String errorCode,
        String errorMessage) {

    public static FetchBarsResponse of(
            SymbolResult r, String provider, String from, String to, int apiCalls, long durationMs) {
        return new FetchBarsResponse(
                r.jobRunId(),
                r.symbol(),
                r.status(),
                r.rowsWritten(),
                r.barsFetched(),
                provider,
                from,
                to,
                apiCalls,
                durationMs,
                r.errorCode(),
                r.errorMessage());
    }

    /** The run's result, as a batch answer gives it. */
    public SymbolResult result() {
        return new SymbolResult(jobRunId, symbol, status, rowsWritten, barsFetched, errorCode, errorMessage);
    }
}
