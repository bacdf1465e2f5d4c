package io.barsbackfill.orchestrator.client;

import io.barsbackfill.common.function.ErrorBody;
import io.barsbackfill.common.function.SymbolResult;
import java.util.List;

/**
 * A fetcher's answer: its HTTP status and either a result per run (2xx; fetch-bars' answer is one result)
 * or its error body (null when the body was not the {@code {error, code, field, …}} contract, e.g. a proxy's
 * page).
 */
public record FetcherReply(int status, List<SymbolResult> results, ErrorBody error) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
