package io.barsbackfill.fetchbars.function;

import io.barsbackfill.common.client.AlpacaBarsClient;
import io.barsbackfill.common.function.FetchBarsRequest;
import io.barsbackfill.common.function.FetchBarsResponse;
import io.barsbackfill.common.function.FetchRequests;
import io.barsbackfill.common.function.LogContext;
import io.barsbackfill.common.function.StaleLeaseException;
import io.barsbackfill.common.function.SymbolResult;
import io.barsbackfill.common.service.BarFetchService;
import io.barsbackfill.common.service.FetchCommand;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.List;

/** {@code POST /fetch-bars}: one leased run, one symbol, one slice. A stale lease answers 409 (contract: docs/contracts.md). */
public class FetchBarsFunction {

    @Inject
    BarFetchService service;

    @Funq("fetch-bars")
    public Uni<FetchBarsResponse> fetchBars(FetchBarsRequest request) {
        FetchCommand command = FetchRequests.single(request);
        LogContext.runs(List.of(request.jobRunId()), List.of(request.symbol()));
        return service.fetch(command).map(outcome -> {
            SymbolResult r = outcome.results().get(0);
            if (SymbolResult.CONFLICT.equals(r.status())) {
                throw new StaleLeaseException("job run " + r.jobRunId() + ": " + r.errorMessage());
            }
            return new FetchBarsResponse(
                    r.jobRunId(),
                    r.symbol(),
                    r.status(),
                    r.rowsWritten(),
                    r.barsFetched(),
                    AlpacaBarsClient.PROVIDER,
                    command.window().from().toString(),
                    command.window().to().toString(),
                    outcome.apiCalls(),
                    outcome.durationMs(),
                    r.errorCode(),
                    r.errorMessage());
        });
    }
}
