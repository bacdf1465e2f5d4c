package io.barsbackfill.common.function;

import io.barsbackfill.common.domain.FetchStatus;
import io.barsbackfill.common.service.FetchCommand;
import io.barsbackfill.common.service.FetchOutcome;
import io.barsbackfill.common.service.RunResult;

/**
 * The fetch service's outcome on the wire: the one place {@code fetch-bars} and {@code fetch-bars-batch} map it.
 * A lease that is no longer the caller's is a {@link StaleLeaseException} (409): for a batch only when no run of
 * it is leased to the caller any more.
 */
public final class FetchAnswers {

    private FetchAnswers() {}

    public static FetchBarsResponse single(FetchCommand command, FetchOutcome outcome) {
        RunResult r = outcome.results().get(0);
        if (r.status() == FetchStatus.conflict) {
            throw new StaleLeaseException("job run " + r.jobRunId() + ": " + r.message());
        }
        return FetchBarsResponse.of(
                SymbolResult.of(r),
                outcome.provider(),
                command.slice().from().toString(),
                command.slice().to().toString(),
                outcome.apiCalls(),
                outcome.durationMs());
    }

    public static FetchBarsBatchResponse batch(FetchOutcome outcome) {
        if (outcome.allConflict()) {
            throw new StaleLeaseException("no run of this batch is leased with the given tokens");
        }
        return new FetchBarsBatchResponse(
                outcome.results().size(),
                outcome.totalBars(),
                outcome.results().stream()
                        .filter(r -> r.status() == FetchStatus.success)
                        .map(r -> r.symbol().value())
                        .toList(),
                outcome.apiCalls(),
                outcome.durationMs(),
                outcome.results().stream().map(SymbolResult::of).toList());
    }
}
