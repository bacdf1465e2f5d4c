package io.barsbackfill.common.function;

import java.util.UUID;

/**
 * A request field is missing or malformed: HTTP 400 {@code {error, code, field}}. Nothing was written. When
 * the field belongs to one run of a fetch request, {@code index} is the run's position in the request and
 * {@code jobRunId} the run (null when its id is what is malformed), so the caller need not parse the field.
 */
public class BadInputException extends RuntimeException {

    private final String field;
    private final Integer index;
    private final UUID jobRunId;

    public BadInputException(String field, String message) {
        this(field, message, null, null);
    }

    public BadInputException(String field, String message, Integer index, UUID jobRunId) {
        super(message);
        this.field = field;
        this.index = index;
        this.jobRunId = jobRunId;
    }

    /** The same error, blaming the run at {@code index} of the request. */
    public BadInputException ofRun(int index, UUID jobRunId) {
        return new BadInputException(field, getMessage(), index, jobRunId);
    }

    public String field() {
        return field;
    }

    public Integer index() {
        return index;
    }

    public UUID jobRunId() {
        return jobRunId;
    }
}
