package io.barsbackfill.orchestrator;

import java.util.UUID;

/**
 * A run counter that differed from the runs it counts, found by {@code recount}: {@code definition} null is the
 * whole queue's counter of that status.
 */
public record CounterDifference(
        UUID definitionId,
        String definition,
        String status,
        long countedRuns,
        long actualRuns,
        long countedRowsWritten,
        long actualRowsWritten,
        long countedBarsFetched,
        long actualBarsFetched) {}
