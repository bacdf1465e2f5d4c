package io.barsbackfill.common.function;

/** A request field is missing or malformed: HTTP 400 {@code {error, code, field}}. Nothing was written. */
public class BadInputException extends RuntimeException {

    private final String field;

    public BadInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
