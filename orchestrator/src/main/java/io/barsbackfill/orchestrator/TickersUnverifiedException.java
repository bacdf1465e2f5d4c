package io.barsbackfill.orchestrator;

import io.barsbackfill.common.domain.ErrorCode;

/**
 * The provider could not say whether it knows a new definition's tickers (unreachable, rate limited, or the probe
 * budget spent), with the code of why: worth trying again later.
 */
public class TickersUnverifiedException extends RuntimeException {

    private final ErrorCode code;

    public TickersUnverifiedException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
