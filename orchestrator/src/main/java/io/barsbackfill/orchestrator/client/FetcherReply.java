package io.barsbackfill.orchestrator.client;

import io.barsbackfill.common.service.RunResult;
import java.util.List;

/**
 * A fetcher's answer to a dispatch: its HTTP status and either a result per run (2xx; results naming no run of
 * the dispatch are left out) or its error (null when the body was not the {@code {error, code, field, …}}
 * contract, e.g. a proxy's page).
 */
public record FetcherReply(int status, List<RunResult> results, FetcherError error) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
