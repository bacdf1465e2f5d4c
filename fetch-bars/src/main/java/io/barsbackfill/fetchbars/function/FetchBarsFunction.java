package io.barsbackfill.fetchbars.function;

import io.barsbackfill.common.function.FetchAnswers;
import io.barsbackfill.common.function.FetchBarsRequest;
import io.barsbackfill.common.function.FetchBarsResponse;
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
import java.util.List;

/**
 * {@code POST /fetch-bars}: one leased run, one symbol, one slice. A stale lease answers 409 (contract:
 * docs/contracts.md).
 */
public class FetchBarsFunction {

    /** The request type of this function, for {@code FunctionHttp}'s field checks. */
    @Produces
    static final FunctionInput INPUT = new FunctionInput("/fetch-bars", FetchBarsRequest.class);

    @Inject
    BarFetchService service;

    @Funq("fetch-bars")
    public Uni<FetchBarsResponse> fetchBars(FetchBarsRequest request) {
        FetchCommand command = FetchRequests.single(request);
        LogContext.runs(List.of(request.jobRunId()), List.of(request.symbol()));
        return service.fetch(command)
                .onFailure(RunMismatchException.class)
                .transform(e -> FetchRequests.mismatch((RunMismatchException) e, false))
                .map(outcome -> FetchAnswers.single(command, outcome));
    }
}
