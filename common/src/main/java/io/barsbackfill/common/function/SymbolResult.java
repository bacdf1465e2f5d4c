package io.barsbackfill.common.function;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
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

    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";
    public static final String RETRY = "retry";
    public static final String CONFLICT = "conflict";
}
