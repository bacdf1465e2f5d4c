package io.barsbackfill.orchestrator.client;

/** No HTTP answer: connection refused or reset, unknown host, or no answer within the dispatch timeout. */
public class FetcherUnreachableException extends RuntimeException {

    public FetcherUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
