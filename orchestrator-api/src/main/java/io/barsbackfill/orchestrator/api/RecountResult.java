package io.barsbackfill.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Answer of {@code recount}: {@code drift}, how many counters (one per status, and per definition and status)
 * differed from {@code count(*)} over the runs; {@code repaired} when they were replaced by the true figures; each
 * difference as counted and as it is.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecountResult(String action, int drift, boolean repaired, List<Difference> differences) {

    /**
     * A counter that differed: {@code definition} (its name, or its id when the definition is gone) null for the
     * whole queue's counter of {@code status}.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Difference(
            String definition,
            String status,
            long countedRuns,
            long actualRuns,
            long countedRowsWritten,
            long actualRowsWritten,
            long countedBarsFetched,
            long actualBarsFetched) {}
}
