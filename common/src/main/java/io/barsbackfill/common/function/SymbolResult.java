package io.barsbackfill.common.function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.barsbackfill.common.service.RunResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How one run of a fetch ended: {@code success}, {@code failed} (final), {@code retry} (back in the queue
 * with backoff) or {@code conflict} (the caller's lease was stale; nothing written).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record SymbolResult(
        String jobRunId,
        String symbol,
        String status,
        int rowsWritten,
        int barsFetched,
        String errorCode,
        String errorMessage) {

    /** The wire form of a run's result. */
    public static SymbolResult of(RunResult r) {
        return new SymbolResult(
                r.jobRunId().toString(),
                r.symbol().value(),
                r.status().name(),
                r.rowsWritten(),
                r.barsFetched(),
                r.errorCode() == null ? null : r.errorCode().name(),
                r.message());
    }
}
