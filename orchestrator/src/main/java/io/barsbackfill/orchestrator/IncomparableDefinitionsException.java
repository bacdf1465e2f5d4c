package io.barsbackfill.orchestrator;

/** {@code compare} was given two definitions it cannot compare bar by bar (the message says why). */
public class IncomparableDefinitionsException extends RuntimeException {

    public IncomparableDefinitionsException(String message) {
        super(message, null, false, false);
    }
}
