package io.barsbackfill.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Answer of {@code retry_failed} and {@code cancel}: how many runs changed state, and for a {@code cancel}
 * naming a definition, that the definition was disabled (it plans nothing more).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateResult(String action, int runsChanged, String definition, Boolean definitionDisabled) {}
