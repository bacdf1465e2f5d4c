package io.barsbackfill.orchestrator.client;

import io.barsbackfill.common.domain.ErrorCode;
import java.util.UUID;

/**
 * What a fetcher's error answer says: its message, its code (null when it is none this orchestrator knows), the
 * request field it blames, and the run it blames ({@code jobRunId} at {@code index} of the request; null when it
 * blames none, or names it in a form that is not a run's id).
 */
public record FetcherError(String message, ErrorCode code, String field, UUID jobRunId, Integer index) {

    public FetcherError(String message, ErrorCode code, String field) {
        this(message, code, field, null, null);
    }
}
