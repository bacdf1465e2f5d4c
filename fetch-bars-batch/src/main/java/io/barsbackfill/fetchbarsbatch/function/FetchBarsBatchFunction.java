package io.barsbackfill.fetchbarsbatch.function;

import io.barsbackfill.common.function.FetchAnswers;
import io.barsbackfill.common.function.FetchBarsBatchRequest;
import io.barsbackfill.common.function.FetchBarsBatchResponse;
import io.barsbackfill.common.function.FetchRequests;
import io.barsbackfill.common.function.FunctionInput;
import io.barsbackfill.common.function.LogContext;
import io.barsbackfill.common.service.BarFetchService;
import io.barsbackfill.common.service.FetchCommand;
import io.barsbackfill.common.service.RunMismatchException;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * {@code POST /fetch-bars-batch}: up to 50 leased runs sharing a timeframe and slice, fetched in as few
 * provider calls as pagination allows, with a result per symbol (contract: docs/contracts.md). Answers 409 only when no
 * run
 * of the batch is leased to the caller any more.
 */
public class FetchBarsBatchFunction {

    /** The request type of this function, for {@code FunctionHttp}'s field checks. */
    @Produces
    static final FunctionInput INPUT = new FunctionInput("/fetch-bars-batch", FetchBarsBatchRequest.class);

    @Inject
    BarFetchService service;

    @Funq("fetch-bars-batch")
    public Uni<FetchBarsBatchResponse> fetchBarsBatch(FetchBarsBatchRequest request) {
        FetchCommand command = FetchRequests.batch(request);
        LogContext.runs(request.jobRunIds(), request.symbols());
        return service.fetch(command)
                .onFailure(RunMismatchException.class)
                .transform(e -> FetchRequests.mismatch((RunMismatchException) e, true))
                .map(FetchAnswers::batch);
    }
}
