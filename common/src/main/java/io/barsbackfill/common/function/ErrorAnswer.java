package io.barsbackfill.common.function;

import io.barsbackfill.common.domain.ErrorCode;
import java.util.Optional;

/** An error answer of a function: its HTTP status and body. */
public record ErrorAnswer(int status, ErrorBody body) {

    /**
     * The answer to a failure the functions raise on purpose (bad input, a stale lease, storage or provider
     * unavailable); empty for anything else, which the caller answers as an internal error.
     */
    public static Optional<ErrorAnswer> of(Throwable failure) {
        if (failure instanceof BadInputException bad) {
            return Optional.of(new ErrorAnswer(
                    400,
                    new ErrorBody(
                            bad.getMessage(),
                            ErrorCode.BAD_INPUT.name(),
                            bad.field(),
                            bad.jobRunId() == null ? null : bad.jobRunId().toString(),
                            bad.index())));
        }
        if (failure instanceof StaleLeaseException stale) {
            return Optional.of(new ErrorAnswer(
                    409, new ErrorBody(stale.getMessage(), ErrorCode.STALE_LEASE.name(), "lease_token")));
        }
        if (failure instanceof ServiceUnavailableException unavailable) {
            return Optional.of(new ErrorAnswer(
                    503,
                    new ErrorBody(unavailable.getMessage(), unavailable.code().name(), null)));
        }
        return Optional.empty();
    }

    /** Whether the caller should try again later (answered with a {@code Retry-After} header). */
    public boolean retryLater() {
        return status == 503;
    }
}
