package io.barsbackfill.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * Answer of {@code POST /orchestrator}: exactly one part is set, the one of the action asked for, and its
 * fields sit at the top level ({@code tick} answers {@code {scanned, slices_created, ...}}). To read an
 * answer, bind the body to the part of the action ({@link TickResult}, {@link StatusReport},
 * {@link EnqueueResult}, {@link UpdateResult}, {@link CoverageReport}, {@link AuditReport}, {@link RemoveResult},
 * {@link RecountResult}, {@link CompareReport}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrchestratorResponse(
        @JsonUnwrapped TickResult tick,
        @JsonUnwrapped StatusReport status,
        @JsonUnwrapped EnqueueResult enqueue,
        @JsonUnwrapped UpdateResult update,
        @JsonUnwrapped CoverageReport coverage,
        @JsonUnwrapped AuditReport audit,
        @JsonUnwrapped RemoveResult remove,
        @JsonUnwrapped RecountResult recount,
        @JsonUnwrapped CompareReport compare) {

    public static OrchestratorResponse of(TickResult tick) {
        return new OrchestratorResponse(tick, null, null, null, null, null, null, null, null);
    }

    public static OrchestratorResponse of(StatusReport status) {
        return new OrchestratorResponse(null, status, null, null, null, null, null, null, null);
    }

    public static OrchestratorResponse of(EnqueueResult enqueue) {
        return new OrchestratorResponse(null, null, enqueue, null, null, null, null, null, null);
    }

    public static OrchestratorResponse of(UpdateResult update) {
        return new OrchestratorResponse(null, null, null, update, null, null, null, null, null);
    }

    public static OrchestratorResponse of(CoverageReport coverage) {
        return new OrchestratorResponse(null, null, null, null, coverage, null, null, null, null);
    }

    public static OrchestratorResponse of(AuditReport audit) {
        return new OrchestratorResponse(null, null, null, null, null, audit, null, null, null);
    }

    public static OrchestratorResponse of(RemoveResult remove) {
        return new OrchestratorResponse(null, null, null, null, null, null, remove, null, null);
    }

    public static OrchestratorResponse of(CompareReport compare) {
        return new OrchestratorResponse(null, null, null, null, null, null, null, null, compare);
    }

    public static OrchestratorResponse of(RecountResult recount) {
        return new OrchestratorResponse(null, null, null, null, null, null, null, recount, null);
    }
}
