package io.barsbackfill.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Answer of {@code remove}: the definition removed (with {@code dry_run}: nothing changed, these are the figures a
 * removal would have now), its own runs cancelled (queued, running and failed; with {@code delete_bars} also
 * successful), the runs kept because another definition links them, and the bars deleted (null without
 * {@code delete_bars}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RemoveResult(
        String action,
        String definition,
        boolean dryRun,
        boolean definitionRemoved,
        long runsCancelled,
        long runsShared,
        Long barsDeleted) {}
