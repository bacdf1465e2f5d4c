package io.barsbackfill.common.function;

import io.barsbackfill.common.domain.ErrorCode;

/** A dependency (the provider) could not answer: HTTP 503 with the reason, so callers can retry later. */
public class ServiceUnavailableException extends RuntimeException {

    private final ErrorCode code;

    public ServiceUnavailableException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
