package io.barsbackfill.orchestrator.client;

/**
 * A provider probe sent through fetch-bars got no verdict of the provider: the fetcher was unreachable, gave no
 * answer in time, or answered with an error (its message names which, without secrets).
 */
public class ProbeUndeliveredException extends RuntimeException {

    public ProbeUndeliveredException(String message, Throwable cause) {
        super(message, cause);
    }
}
