package io.barsbackfill.common.function;

/** The run is no longer leased to the caller (expired and re-claimed, finished, or cancelled): HTTP 409. */
public class StaleLeaseException extends RuntimeException {

    public StaleLeaseException(String message) {
        super(message);
    }
}
