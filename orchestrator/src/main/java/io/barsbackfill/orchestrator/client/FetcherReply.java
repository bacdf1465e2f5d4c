package io.barsbackfill.orchestrator.client;

import io.barsbackfill.common.function.ErrorBody;

/**
 * A fetcher's answer: its HTTP status and either the function's result (2xx) or its error body (null when
 * the body was not the {@code {error, code, field}} contract, e.g. a proxy's page).
 */
public record FetcherReply<T>(int status, T body, ErrorBody error) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
