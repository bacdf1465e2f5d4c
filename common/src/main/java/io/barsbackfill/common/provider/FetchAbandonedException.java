package io.barsbackfill.common.provider;

/** A fetch stopped before its last page because its caller no longer needs it (every lease was lost). */
public class FetchAbandonedException extends RuntimeException {

    public FetchAbandonedException(String message) {
        super(message);
    }
}
