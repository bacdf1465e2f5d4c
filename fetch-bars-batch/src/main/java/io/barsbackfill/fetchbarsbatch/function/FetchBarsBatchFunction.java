package io.barsbackfill.fetchbarsbatch.function;

import io.barsbackfill.common.function.FetchBarsBatchRequest;
import io.barsbackfill.common.function.FetchBarsBatchResponse;
import io.barsbackfill.common.function.FetchRequests;
import io.barsbackfill.common.function.LogContext;
import io.barsbackfill.common.function.StaleLeaseException;
import io.barsbackfill.common.function.SymbolResult;
import io.barsbackfill.common.service.BarFetchService;
import io.barsbackfill.common.service.FetchCommand;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * {@code POST /fetch-bars-batch}: up to 50 leased runs sharing a timeframe and slice, fetched in as few
 * provider calls as pagination allows, with a result per symbol (contract: docs/contracts.md). Answers 409 only when no
 * run
 * of the batch is leased to the caller any more.
 */
public class FetchBarsBatchFunction {

    @Inject
    BarFetchService service;

    @Funq("fetch-bars-batch")
    public Uni<FetchBarsBatchResponse> fetchBarsBatch(FetchBarsBatchRequest request) {
        FetchCommand command = FetchRequests.batch(request);
        LogContext.runs(request.jobRunIds(), request.symbols());
        return service.fetch(command).map(outcome -> {
            if (outcome.results().stream().allMatch(r -> SymbolResult.CONFLICT.equals(r.status()))) {
                throw new StaleLeaseException("no run of this batch is leased with the given tokens");
            }
            return new FetchBarsBatchResponse(
                    outcome.results().size(),
                    outcome.totalBars(),
                    outcome.results().stream()
                            .filter(r -> SymbolResult.SUCCESS.equals(r.status()))
                            .map(SymbolResult::symbol)
                            .toList(),
                    outcome.apiCalls(),
                    outcome.durationMs(),
                    outcome.results());
        });
    }
}
