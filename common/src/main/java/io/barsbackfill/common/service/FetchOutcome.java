package io.barsbackfill.common.service;

import io.barsbackfill.common.domain.FetchStatus;
import java.util.List;

/**
 * How each run of a fetch ended (request order), the provider asked (its runs' series'), the provider calls made,
 * bars received and time taken.
 */
public record FetchOutcome(List<RunResult> results, String provider, int apiCalls, int totalBars, long durationMs) {

    /** No run was leased to the caller any more: the fetch changed nothing. */
    public boolean allConflict() {
        return results.stream().allMatch(r -> r.status() == FetchStatus.conflict);
    }
}
