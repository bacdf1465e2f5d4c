package io.barsbackfill.cli.client;

/**
 * The orchestrator could not be reached ({@code status} 0) or did not answer 2xx. {@code error}, {@code code}
 * and {@code field} come from its error body ({@code {error, code, field}}), when it sent one.
 */
public class OrchestratorException extends RuntimeException {

    private final int status;
    private final String error;
    private final String code;
    private final String field;

    public OrchestratorException(int status, String message, String error, String code, String field) {
        super(message);
        this.status = status;
        this.error = error;
        this.code = code;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public boolean unreachable() {
        return status == 0;
    }
}
