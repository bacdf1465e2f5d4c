package io.barsbackfill.fetchbars.function;

import io.barsbackfill.common.function.FunctionInput;
import io.barsbackfill.common.function.ProbeRequest;
import io.barsbackfill.common.function.ProbeResponse;
import io.barsbackfill.common.service.ProviderProbe;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * {@code POST /probe}: does the provider answer this fetcher, with the keys, base URL and route the fetches use?
 * The orchestrator's provider gate probes through it, and its check of new tickers asks through it, so the
 * orchestrator needs no provider settings of its own (contract: docs/contracts.md).
 */
public class ProbeFunction {

    /** The request type of this function, for {@code FunctionHttp}'s field checks. */
    @Produces
    static final FunctionInput INPUT = new FunctionInput("/probe", ProbeRequest.class);

    @Inject
    ProviderProbe probe;

    @Funq("probe")
    public Uni<ProbeResponse> probe(ProbeRequest request) {
        return probe.probe(request.providerName(), request.tickers(), request.retried())
                .map(ProbeResponse::of);
    }
}
