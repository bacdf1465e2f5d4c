package io.barsbackfill.localstack.process;

/** A child died, or did not get ready in time. The message names it and ends with the tail of its log. */
public class ProcessFailedException extends RuntimeException {

    private final String process;

    public ProcessFailedException(String process, String message) {
        super(message);
        this.process = process;
    }

    public String process() {
        return process;
    }
}
